/**
 * TensorFlow's native library (tfjs-node) writes informational lines to the
 * trainer's stderr when it loads (oneDNN is on, which CPU instructions it was
 * built for), before its logging honours TF_CPP_MIN_LOG_LEVEL; Dawn (WebGPU)
 * writes its Vulkan driver search when the machine has no GPU driver. Neither
 * says anything a person can act on (the backend notes say which backends
 * did not load, and why), so the stream the CLI forwards drops them;
 * TensorFlow's warnings and errors (W…, E…, F… lines) and everything else pass.
 */

/** An info line of absl/TensorFlow logging: "I0000 00:00:1796019283.694007   16829 port.cc:153] …". */
const INFO_LINE = /^I\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ [\w.-]+:\d+\] /;
/** absl's notice that such lines go to stderr. */
const ABSL_NOTICE = 'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR';
/** Dawn's Vulkan probe on a machine without a Vulkan driver, and the source lines it prints under each warning. */
const DAWN_PROBE = /^(Warning: (vkCreateInstance|Couldn't load Vulkan)|\s+at \S+ \(\S*third_party\/dawn\/)/;
/** The second line of the cpu_feature_guard info message. */
const CONTINUATION = /^To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.$/;

/** A line filter over chunks of a stream: whole lines out, TensorFlow's info lines dropped. */
export function nativeLogFilter(write: (text: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  const keep = (line: string) => !(line === ABSL_NOTICE || INFO_LINE.test(line) || CONTINUATION.test(line) || DAWN_PROBE.test(line));
  return {
    push(chunk) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      const kept = lines.filter(keep);
      if (kept.length) write(`${kept.join('\n')}\n`);
    },
    end() {
      if (pending && keep(pending)) write(pending);
      pending = '';
    },
  };
}
