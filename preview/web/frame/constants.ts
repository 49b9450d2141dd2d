/** The phone's screen width in CSS px; preview/src/wxss.ts converts rpx for the same width. */
export const SCREEN_WIDTH_PX = 375;
