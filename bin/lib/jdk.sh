# Sourced by bin/ scripts: finds a JDK 21 or newer and exports JAVA_HOME.
# Also the gateway's default JVM options, here once for `bin/streamgate run` and for bench/run, which must measure
# the server as a user starts it.
# An OutOfMemoryError ends the process (exit 3): a JVM that ran out of heap may have lost any thread, and clients
# resume exactly from their ids on a restarted or another instance, while a half-dead one would serve nothing.
STREAMGATE_DEFAULT_JAVA_OPTS="-Xms128m -Xmx1g -XX:+ExitOnOutOfMemoryError"
# Looks at $JAVA_HOME, the `java` on PATH, then the usual install folders; the first one >= 21 wins.

streamgate_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

streamgate_pick_jdk() {
  local candidates=() home major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(streamgate_java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$home"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  cat >&2 <<'MSG'
error: Streamgate needs a JDK 21 or newer, and none was found.
  Looked at: $JAVA_HOME, the `java` on PATH, /usr/lib/jvm/*, /opt/java/*, ~/.sdkman.
  Fix: install one (for example `apt-get install -y openjdk-21-jdk-headless`, or Temurin 21+)
       and run again, or point JAVA_HOME at it: JAVA_HOME=/path/to/jdk bin/streamgate demo
MSG
  return 1
}

streamgate_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "error: Maven (mvn, 3.8 or newer) is needed to build Streamgate; install it (e.g. 'apt-get install -y maven')." >&2
    return 1
  fi
}
