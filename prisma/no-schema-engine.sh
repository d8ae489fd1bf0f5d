#!/bin/sh
echo "schema-engine is not available on this machine" >&2
exit 1
