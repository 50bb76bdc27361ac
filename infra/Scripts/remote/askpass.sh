#!/bin/sh
# Answers ssh's password prompt once, for the trust step; anything else gets no answer. trust.sh writes it to
# its private temporary folder, beside the password file it reads.
set -eu
case "${1-}" in *assword*) ;; *) exit 1 ;; esac
IFS= read -r p < "${0%/*}/password" || exit 1
printf '%s\n' "$p"
