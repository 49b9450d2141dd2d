/**
 * The phone's screen width in CSS px, as the frame was opened (`device=`); preview/src/wxss.ts converts
 * rpx for the same width.
 */
import { DEVICES, deviceOf } from '../protocol';

export function screenWidthPx(): number {
  return DEVICES[deviceOf(new URLSearchParams(location.search).get('device'))].width;
}
