// End-to-end suites run whole systems against Telegram's per-chat pacing on a 2-core machine; a test
// that fails is run once more, its first errors printed, so a timing flake is visible in the log but
// does not hide the rest of the run. A real defect fails both times. (Unit, service and workflow tests
// get no retry.)
jest.retryTimes(1, { logErrorsBeforeRetry: true });
