#!/bin/sh
# Makes the folder the REST API helper is uploaded to (WebPortal.cs), readable by the SSH user only.
set -eu
mkdir -p "$HOME/.portsip-infra"
chmod 700 "$HOME/.portsip-infra"
