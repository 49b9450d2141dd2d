#!/bin/sh
# Chromium without libfaketime, for running the suite as at another date (README, "On another date"):
# the pages take the local cloud's clock from the preview, and Chromium under faketime does not load them.
unset LD_PRELOAD FAKETIME FAKETIME_DONT_FAKE_MONOTONIC
exec /usr/bin/chromium "$@"
