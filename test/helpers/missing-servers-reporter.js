/**
 * jest reporter: when suites were skipped because a real server or proxy is missing, `npm test`
 * ends with one line naming them and the command that installs them (describeWithServer and
 * describeWithProxy put the reason into the skipped suite's title as "(skipped: ...)").
 */
'use strict';

const SKIPPED = /\(skipped: ([^)]*)\)/;
const SUBJECT =
  /^(\S+?)( proxy)? (?:is not installed|tests need root|proxy tests need root)|^(pam_pwdfile)|^system user (\S+)/;

class MissingServersReporter {
  onRunComplete(_contexts, results) {
    const missing = new Set();
    const hints = new Set();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending') continue;
        for (const title of test.ancestorTitles) {
          const reason = SKIPPED.exec(title)?.[1];
          if (!reason) continue;
          const subject = SUBJECT.exec(reason);
          missing.add(subject ? (subject[1] ?? subject[3] ?? `user ${subject[4]}`) : reason);
          hints.add(
            /proxy|squid|danted|sockd/i.test(reason)
              ? 'bash packages/testbed/install-proxies.sh'
              : 'bash packages/testbed/install-servers.sh',
          );
          if (/need root/.test(reason)) hints.add('run the tests as root');
        }
      }
    }
    if (missing.size === 0) return;
    const install = [
      'apt-get update',
      ...[...hints]
        .filter((h) => h.startsWith('bash'))
        .sort()
        .reverse(),
    ].join(' && ');
    const root = hints.has('run the tests as root') ? ' (as root: the servers chroot and switch users)' : '';
    const line = `\nSkipped for want of real servers or proxies: ${[...missing].sort().join(', ')}. Install them as root with: ${install}${root}; see DEVELOPERS.md.\n`;
    // After jest's own summary, which its summary reporter prints once every reporter has run.
    process.once('exit', () => require('node:fs').writeSync(2, line));
  }
}

module.exports = MissingServersReporter;
