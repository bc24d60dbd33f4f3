/*
 * The two POSIX sh scripts that move an Airflow task's output into its Vector sidecar. They ship in a ConfigMap and
 * run as they are: the tests execute the text the ConfigMap holds, with dash and bash, and the sidecar's with busybox
 * sh and awk, as the Vector alpine image runs it.
 *
 * In these template literals every `\${` is a shell expansion and `\\t` is awk's "\t"; a bare `${` interpolates a
 * TypeScript constant.
 */

/** The shared emptyDir, mounted at the same path in the task container and the sidecar. */
export const CAPTURE_DIR = '/vector-capture';
/** Where the ConfigMap with the scripts and the Vector config is mounted, in both containers. */
export const CAPTURE_CONFIG_DIR = '/opt/vector-capture';
export const WRAPPER_SCRIPT_FILE = 'capture.sh';
export const SIDECAR_SCRIPT_FILE = 'sidecar.sh';
/** The default of every wait of one side on the other (seconds). */
export const DEFAULT_CAPTURE_TIMEOUT_SECONDS = 30;

/** The variables both scripts read; the pod template sets them. */
export const CAPTURE_ENV = {
  dir: 'VECTOR_CAPTURE_DIR',
  timeoutSeconds: 'VECTOR_CAPTURE_TIMEOUT_SECONDS',
  /** `container` or `native`: how the sidecar runs, which decides how it waits when there is nothing to read. */
  sidecarMode: 'VECTOR_CAPTURE_SIDECAR_MODE',
} as const;

const PROTOCOL = `# Hand-over with the other script, in the shared directory. The markers are directories because mkdir either
# creates one or fails, atomically, so exactly one side wins each race:
#   ready     made by the sidecar once its FIFOs exist, or by the wrapper when it stops waiting for the sidecar
#             (then a late sidecar knows nobody will write);
#   attached  made by the wrapper when it starts writing, or by the sidecar when it stops waiting for the wrapper
#             (then the wrapper runs the task without capture).`;

const RELEASE = `# Releases a process blocked in open() on a FIFO: a read-write open never blocks on Linux and counts as both ends.
release() {
  for fifo in "$dir/stdout" "$dir/stderr"; do
    [ -p "$fifo" ] && : <>"$fifo"
  done 2>/dev/null
}`;

/**
 * The task container's entrypoint: `sh capture.sh <image entrypoint...> <Airflow's args...>`. It runs the task with
 * stdout and stderr copied into the sidecar's FIFOs and to the container's own streams, and exits with the task's
 * status. Every wait for the sidecar to start or to open its FIFOs is bounded, after which the task runs, or goes on
 * running, without capture. While the sidecar reads, the task's output moves at its pace: `tee` writes each line into
 * a FIFO, which holds one pipe buffer (64 KiB), and the task's next write waits while both it and the task's own pipe
 * are full.
 */
export const CAPTURE_WRAPPER_SCRIPT = `#!/bin/sh
# vector-capture wrapper, written by cdk8s-vector-fleet (AirflowVectorPodTemplate).
#
# Runs the Airflow task ("$@") with its stdout and stderr copied into two FIFOs that the Vector sidecar reads, while
# both streams still reach this container's own stdout and stderr: kubectl logs shows what it always showed. Each
# wait for the sidecar to start or to open its FIFOs lasts at most ${CAPTURE_ENV.timeoutSeconds}, after which the
# task runs, or goes on running, without capture; a sidecar that dies costs only the copy to it. While the sidecar
# reads, the task's output moves at its pace: tee writes every line into a FIFO (one 64 KiB pipe buffer), so a task
# that prints faster than the sidecar takes the lines waits in write() until it has. Exits with the task's status.
#
${PROTOCOL}
set -u
dir=\${${CAPTURE_ENV.dir}:-${CAPTURE_DIR}}
timeout=\${${CAPTURE_ENV.timeoutSeconds}:-${DEFAULT_CAPTURE_TIMEOUT_SECONDS}}

note() { printf 'vector-capture: %s\\n' "$*" >&2; }

if [ "$#" -eq 0 ]; then
  note 'no task command given'
  exit 64
fi

# As PID 1 this shell receives the kubelet's SIGTERM, which the default action would ignore: before the task runs,
# it ends the wait; once the task runs, it is passed on to the task.
task=
trap 'if [ -n "$task" ]; then kill -TERM "$task" 2>/dev/null; else exit 143; fi' TERM

# Sleeps a tenth of a second where sleep takes fractions (GNU, busybox), else a second; counts tenths in $tenths.
tick() {
  if sleep 0.1 2>/dev/null; then tenths=$((tenths + 1)); else sleep 1; tenths=$((tenths + 10)); fi
}

${RELEASE}

tenths=0
while [ ! -d "$dir/ready" ]; do
  if [ "$tenths" -ge $((timeout * 10)) ]; then
    if mkdir "$dir/ready" 2>/dev/null; then
      note "no Vector sidecar after $timeout s: running the task without log capture"
      exec "$@"
    fi
    break
  fi
  tick
done

out=$dir/task-stdout
err=$dir/task-stderr
if ! command -v tee >/dev/null 2>&1 || ! mkfifo "$out" "$err" 2>/dev/null; then
  note "cannot create the task's pipes in $dir: running the task without log capture"
  exec "$@"
fi
if ! mkdir "$dir/attached" 2>/dev/null; then
  note 'the Vector sidecar stopped waiting for the task: running the task without log capture'
  exec "$@"
fi

# GNU tee -p goes on copying to the other outputs when a FIFO's reader is gone; busybox tee has no -p and does anyway.
tee_p=-p
tee -p </dev/null >/dev/null 2>&1 || tee_p=

# One copier per stream, from the task's pipe to this container's stream and the sidecar's FIFO. SIGPIPE is ignored
# so that a dead sidecar costs only the copy to it, never the task's output; TERM so that the task's last lines are
# still copied after the kubelet asked the pod to stop. A file next to the pipe says when the copier is done.
copy() {
  trap '' PIPE TERM INT HUP
  tee $tee_p "$dir/$2" <"$1"
  : >"$1.done"
}
copy "$out" stdout &
copy "$err" stderr >&2 &

# A sidecar that died after making \`ready\` but before opening its FIFOs would keep a copier in open() for ever.
(sleep "$timeout" && release) </dev/null >/dev/null 2>&1 &
watchdog=$!

# The task runs in the background so that this shell can pass the kubelet's SIGTERM on to it. A background job's
# stdin is /dev/null unless redirected: the container's stdin is handed over on fd 3.
exec 3<&0
"$@" <&3 3<&- >"$out" 2>"$err" &
task=$!
exec 3<&-

while :; do
  wait "$task"
  status=$?
  # A trapped signal ends the wait early, with a status above 128, while the task may still be running.
  [ "$status" -gt 128 ] && kill -0 "$task" 2>/dev/null || break
done

# The copiers finish as soon as the task's output ends, which a background process of the task can delay.
tenths=0
while [ ! -e "$out.done" ] || [ ! -e "$err.done" ]; do
  if [ "$tenths" -ge $((timeout * 10)) ]; then
    note "the task's output is still open $timeout s after it ended (a background process?): not waiting for it"
    break
  fi
  tick
done
kill "$watchdog" 2>/dev/null
# A sidecar reader that never saw a writer would wait for ever: release it, so that it reads EOF.
release
exit "$status"
`;

/**
 * The sidecar's entrypoint: `sh sidecar.sh <Vector command...>`. It creates the FIFOs, reads them line by line into
 * Vector's stdin (each line prefixed with its stream and a tab), and ends by itself once the task has ended and Vector
 * has flushed. It exits 0 whatever Vector's status, so that a plain-container sidecar never changes the pod's phase.
 */
export const CAPTURE_SIDECAR_SCRIPT = `#!/bin/sh
# vector-capture sidecar, written by cdk8s-vector-fleet (AirflowVectorPodTemplate).
#
# Creates the two FIFOs the task's wrapper writes, reads them line by line, prefixes each line with its stream and a
# tab, and pipes the lines into Vector ("$@", reading its stdin source). When the task ends, its ends of the FIFOs
# close, the readers reach EOF, Vector reads its stdin to the end, flushes its sinks and exits, and so does this
# script: the pod is not kept running. Each tagged line is one write(), atomic up to PIPE_BUF (4096 bytes); a longer
# line can be interleaved with a line of the other stream.
#
${PROTOCOL}
set -u
dir=\${${CAPTURE_ENV.dir}:-${CAPTURE_DIR}}
timeout=\${${CAPTURE_ENV.timeoutSeconds}:-${DEFAULT_CAPTURE_TIMEOUT_SECONDS}}
mode=\${${CAPTURE_ENV.sidecarMode}:-container}

note() { printf 'vector-capture: %s\\n' "$*" >&2; }

if [ "$#" -eq 0 ]; then
  note 'no Vector command given'
  exit 64
fi

# As PID 1 this shell receives the kubelet's SIGTERM, which the default action would ignore; until the readers run,
# it is only remembered.
stop=
trap 'stop=1' TERM

${RELEASE}

# Nothing to read: the task runs without capture, or this native sidecar was restarted after its readers ended.
idle() {
  note "$1"
  if [ "$mode" = native ] && [ -z "$stop" ]; then
    # The kubelet restarts a native sidecar that exits while the task runs, and sends TERM once the task has ended.
    trap 'exit 0' TERM
    while :; do sleep 1; done
  fi
  exit 0
}

for stream in stdout stderr; do
  if ! { [ -p "$dir/$stream" ] || mkfifo -m 666 "$dir/$stream" 2>/dev/null || [ -p "$dir/$stream" ]; }; then
    # Make both markers, so that the wrapper runs the task at once instead of waiting for this sidecar.
    mkdir -p "$dir/ready" "$dir/attached" 2>/dev/null
    idle "cannot create the FIFO $dir/$stream: not capturing"
  fi
done
if ! mkdir "$dir/ready" 2>/dev/null; then
  idle 'the task already runs without log capture, or this sidecar was restarted: nothing to read'
fi

# Unless run with -W interactive, mawk fills its whole input buffer before it looks at a line, which holds a slow
# task's lines back until the buffer is full or the task ends; busybox awk (the alpine image's) takes no -W.
awk_interactive=
case $(awk -W version 2>&1 </dev/null) in mawk*) awk_interactive='-W interactive' ;; esac
# printf of a single string is one write() per line in every awk, even with mawk's unbuffered -W interactive output
# (print writes the record and the newline separately there); the other reader's lines cannot split it.
read_stream() {
  awk $awk_interactive -v stream="$1" '{ printf "%s", stream "\\t" $0 "\\n"; fflush() }' <"$dir/$1"
}
{
  read_stream stdout &
  read_stream stderr &
  wait
} | "$@" &
pipeline=$!

# Stops waiting for the task. If it has attached, its end closes the FIFOs soon and Vector reads to the end; Vector
# never sees the kubelet's signal. If it has not, nothing will come: the readers are released, several times for a
# second in case one has not reached open() yet.
stop_waiting() {
  if mkdir "$dir/attached" 2>/dev/null; then
    (for _ in 1 2 3 4 5 6 7 8 9 10; do release; sleep 0.1; done) </dev/null >/dev/null 2>&1 &
  fi
}
trap stop_waiting TERM
[ -n "$stop" ] && stop_waiting

watchdog=
if [ "$mode" = container ]; then
  # A plain container starts after the task's container, whose wrapper then already waits for \`ready\`: a wrapper
  # that has not attached within the timeout never will (it failed, or gave up), and must not keep the pod running.
  (sleep "$timeout" && stop_waiting) </dev/null >/dev/null 2>&1 &
  watchdog=$!
fi

while :; do
  wait "$pipeline"
  status=$?
  [ "$status" -gt 128 ] && kill -0 "$pipeline" 2>/dev/null || break
done
[ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null
if [ "$status" -ne 0 ]; then
  note "Vector exited with status $status: lines it had not sent are only in kubectl logs"
fi
exit 0
`;
