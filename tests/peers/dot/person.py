"""The person in the browser, against the django-oauth-toolkit peer (server.py): logs in as alice,
then uses DOT's own pages, with their CSRF tokens.

  person.py device BASE USER_CODE accept|deny   enter the code at BASE/o/device/, then accept or deny
  person.py browser AUTH_URL allow|deny         open the authorization URL and press Authorize or
                                                Cancel; prints the redirect URL DOT sends the browser
                                                to (not followed: the test delivers it)
"""

import html
import re
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


jar = CookieJar()
follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
stay = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def csrf(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def post(opener, url, fields):
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data, headers={"Referer": url})
    try:
        return opener.open(req)
    except urllib.error.HTTPError as e:
        if e.code in (301, 302, 303):
            return e
        raise


def origin(url):
    u = urllib.parse.urlsplit(url)
    return f"{u.scheme}://{u.netloc}"


mode, target, choice = sys.argv[1], sys.argv[2], sys.argv[3:]
if mode == "device":
    user_code, action = choice
    follow.open(f"{target}/test/login?user=alice").read()
    url = f"{target}/o/device/"
    page = follow.open(url).read().decode()
    r = post(follow, url, {"csrfmiddlewaretoken": csrf(page), "user_code": user_code})
    confirm = r.geturl()
    page = r.read().decode()
    r = post(follow, confirm, {"csrfmiddlewaretoken": csrf(page), "action": action})
    print(r.read().decode()[:200])
elif mode == "browser":
    (action,) = choice
    base = origin(target)
    follow.open(f"{base}/test/login?user=alice").read()
    page = follow.open(target).read().decode()
    form = re.search(r'<form id="authorizationForm".*?</form>', page, re.S).group(0)
    fields = {
        html.unescape(n): html.unescape(v)
        for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    }
    fields.update(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*type="hidden"', form))
    fields["csrfmiddlewaretoken"] = csrf(page)
    if action == "allow":
        fields["allow"] = "Authorize"
    r = post(stay, f"{base}/o/authorize/", fields)
    print(r.headers["Location"])
