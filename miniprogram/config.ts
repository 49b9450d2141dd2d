/** Settings of the mini program that are not data from the server. */

/**
 * The subscribe-message template of the R13 reminder. The local cloud's templates config uses the same id;
 * the real one is set here when the template is applied for on mp.weixin.qq.com.
 */
export const REMINDER_TEMPLATE_ID = 'tmpl-booking-reminder';

/**
 * R11 "有号提醒我": the contract has no action for it yet, so the button is shown disabled with a note.
 * Turn on only together with the server action that stores the request.
 */
export const NOTIFY_WHEN_AVAILABLE_ENABLED = false;
