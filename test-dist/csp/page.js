// A strict page (served with a CSP and Trusted Types enforced, see web-test-runner.dist.config.mjs): it uses
// Lit itself (a "lit-html" policy exists first), loads the bundle, chats once and reports to the test.
const params = new URLSearchParams(location.search);
const report = { violations: [], errors: [], defined: false };
document.addEventListener('securitypolicyviolation', (e) => report.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
const error = console.error;
console.error = (...args) => {
  report.errors.push(String(args[0]));
  error(...args);
};
const done = () => parent.postMessage({ csp: report }, location.origin);

try {
  if (params.get('page-lit') && window.trustedTypes) trustedTypes.createPolicy('lit-html', { createHTML: (s) => s });
  if (!params.get('classic')) await import('/dist/dify-chat.js');
  report.defined = Boolean(customElements.get('dify-chat'));
  if (params.get('chat')) {
    const el = document.createElement('dify-chat');
    el.setAttribute('endpoint', '/api/chat');
    el.setAttribute('storage-key', `csp-${Date.now()}`);
    el.setAttribute('welcome', 'Hello **there**');
    document.body.append(el);
    await el.updateComplete;
    report.welcome = el.shadowRoot.querySelector('[part~="message--welcome"] strong')?.textContent ?? '';
    const answer = await el.send('Show me a list');
    await el.updateComplete;
    report.status = answer && answer.status;
    report.answer = el.shadowRoot.querySelector('[part~="message--bot"]:last-of-type [part~="content"]')?.textContent ?? '';
    report.styled = getComputedStyle(el.shadowRoot.querySelector('[part~="panel"]')).display;
  }
} catch (e) {
  report.errors.push(`threw: ${e && e.message}`);
}
done();
