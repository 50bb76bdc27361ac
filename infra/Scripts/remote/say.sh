#!/bin/sh
# Prints $message and runs nothing (a step that waits, such as the upgrade of a stopped server). Header: message.
set -eu
: "${message:?}"
printf '%s\n' "$message"
