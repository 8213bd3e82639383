// A scripted browser for the test peers: a cookie jar and redirect-following requests against one
// origin. `go` stops at the first redirect that leaves the origin and returns it as `left`.
export function browser(origin) {
  const jar = new Map();
  const remember = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  async function go(method, url, form) {
    for (let hop = 0; hop < 12; hop += 1) {
      if (new URL(url, origin).origin !== new URL(origin).origin) return { left: new URL(url, origin).toString() };
      const res = await fetch(new URL(url, origin), {
        method,
        redirect: 'manual',
        headers: { cookie: cookie(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
      remember(res);
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location'), new URL(url, origin)).toString();
        method = 'GET';
        form = undefined;
        continue;
      }
      return { url, status: res.status, body: await res.text() };
    }
    throw new Error('too many redirects');
  }
  return { go };
}
