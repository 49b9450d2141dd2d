/** R11: what the notifier last saw of a service's numbers (`_id` = service id). */
export interface NotifierDoc {
  _id: string;
  /** Free numbers per open day of the horizon, as last seen. */
  seen: Record<string, number>;
  /** Waiting people still to be told of numbers that appeared (capped by the numbers still free). */
  credit: number;
  version: number;
  updatedAt: number;
}
