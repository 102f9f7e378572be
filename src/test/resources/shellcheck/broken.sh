#!/bin/bash
# Broken on purpose: ShellScriptsTest proves that shellcheck reports each mistake planted here, and that the
# suppression check finds the unexplained one. The scan of the repository's scripts leaves this directory out.
cd /var/tmp
for f in $(ls /var/tmp); do
  echo $f
done
read name
echo "$name"
# shellcheck disable=SC2034
unused=1
