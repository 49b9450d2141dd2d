/** The app instance's shape, for `getApp<AppOption>()`. */
export interface AppOption {
  globalData: Record<string, never>;
}
