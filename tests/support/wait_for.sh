# wait_for.sh - sourced by the shell test libraries.
# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds; returns
# 1 when SECONDS pass first (every wait in a test is bounded).
wait_for() {
    local limit=$(($1 * 10)) i=0
    shift
    while [ $i -lt $limit ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
