# Sourced by ./build and ./io-engine: finds a JDK 25 or newer and exports JAVA_HOME, or stops with a
# clear message. Order: JAVA_HOME when it is 25+, then the newest JDK 25+ under /usr/lib/jvm.

jdk_feature_version() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing when $1 is not a JDK.
  local release="$1/release"
  [ -x "$1/bin/javac" ] && [ -r "$release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release"
}

find_jdk() {
  local v candidate best="" best_v=0
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(jdk_feature_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] || continue
    v=$(jdk_feature_version "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$best_v" ]; then
      best="$candidate"
      best_v="$v"
    fi
  done
  if [ -z "$best" ]; then
    echo "io-engine: no JDK 25 or newer found." >&2
    echo "  JAVA_HOME=${JAVA_HOME:-<unset>} is not a JDK 25+, and /usr/lib/jvm holds none." >&2
    echo "  Install one (for example Temurin 25) and set JAVA_HOME to it." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
}

find_jdk
export PATH="$JAVA_HOME/bin:$PATH"
