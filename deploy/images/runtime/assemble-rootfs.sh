#!/usr/bin/env bash
# Lays out the runtime image's file system: a JRE cut by jlink from the build's JDK, every shared library it links
# against (as found by this machine's dynamic loader), and the static files under src/rootfs.
# Usage: assemble-rootfs.sh JDK_HOME MODULES STATIC_DIR OUT_DIR        (run by Maven at prepare-package)
set -euo pipefail
jdk="$1" modules="$2" static="$3" out="$4"

rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output "$out/opt/java"
cp -R "$static/." "$out/"

# The libraries the JRE's executables and shared objects need, copied to the paths the loader names (the image has
# no ld.so.cache: glibc's loader searches /lib/<triplet> and /lib64 by default). libjvm.so and its siblings are
# the JRE's own, found through its RUNPATH at run time; any other library the loader cannot find stops the build.
mapfile -t objects < <(find "$out/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -exec sh -c \
  'head -c 4 "$1" | grep -q ELF' _ {} \; -print)
declare -A libs=()
missing=""
for object in "${objects[@]}"; do
  while read -r line; do
    case "$line" in
      *"=> not found"*)
        name="${line%% *}"
        [ -n "$(find "$out/opt/java" -name "$name" -print -quit)" ] || missing="$missing $name (for $object)" ;;
      *"=> /"*) path="${line#*=> }"; path="${path%% (*}" ;;
      /*) path="${line%% (*}" ;;   # the loader itself: /lib64/ld-linux-x86-64.so.2 (0x...)
      *) continue ;;
    esac
    case "$path" in
      "$out"/*) ;;                 # the JRE's own
      *) libs["$path"]=1 ;;
    esac
  done < <(ldd "$object" 2>/dev/null || true)
done
if [ -n "$missing" ]; then
  echo "error: the runtime image needs libraries this machine does not have:$missing" >&2
  exit 1
fi
# libgcc_s is not linked but dlopen()ed by glibc to unwind threads (pthread_exit, pthread_cancel).
libc="$(printf '%s\n' "${!libs[@]}" | grep '/libc\.so\.6$' | head -1)"
[ -n "$libc" ] && [ -e "$(dirname "$libc")/libgcc_s.so.1" ] && libs["$(dirname "$libc")/libgcc_s.so.1"]=1
for lib in "${!libs[@]}"; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
echo "runtime rootfs: $(du -sh "$out" | cut -f1) in $out (JRE $("$out/opt/java/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2); $(printf '%s\n' "${!libs[@]}" | sort | xargs -n1 basename | tr '\n' ' '))"
