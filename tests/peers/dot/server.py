"""django-oauth-toolkit (PyPI, pinned in requirements.txt) as an OpenID provider on 127.0.0.1, for
lanyard's tests: one Django process with an in-memory-sized SQLite database in a temp dir, OIDC on,
the device grant and the authorization-code grant (one application each: DOT allows one grant type
per application), a user `alice`. Prints `READY <port>` when it serves. Test-only addition: GET
/test/login?user=NAME logs the browser in (Django's login form needs a template this peer does not
ship); everything after that (device code entry, consent, deny) is DOT's own views."""

import os
import sys
import tempfile
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from socketserver import ThreadingMixIn

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import django
from django.conf import settings

data = tempfile.mkdtemp(prefix="lanyard-dot-")
# The port is chosen first: DOT's verification URI is a setting.
import socket  # noqa: E402

probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()

settings.configure(
    DEBUG=False,
    SECRET_KEY="lanyard-test-peer",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "oauth2_provider",
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {}}],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(data, "db.sqlite3")}},
    LOGIN_URL="/test/login",
    USE_TZ=True,
    OAUTH2_PROVIDER={
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": key,
        "PKCE_REQUIRED": True,
        "SCOPES": {"openid": "OpenID", "profile": "Profile", "email": "Email", "offline_access": "Offline", "read": "Read"},
        "DEVICE_FLOW_INTERVAL": 1,
        "OAUTH_DEVICE_VERIFICATION_URI": f"http://127.0.0.1:{port}/o/device/",
        # As deployments do: userinfo names the user (DOT's default sends only `sub`).
        "OAUTH2_VALIDATOR_CLASS": "__main__.Validator",
        "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("ACCESS_TOKEN_EXPIRE_SECONDS", "3600")),
    },
)
django.setup()

from oauth2_provider.oauth2_validators import OAuth2Validator  # noqa: E402


class Validator(OAuth2Validator):
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return {"preferred_username": request.user.username, "email": request.user.email}


from django.contrib.auth import get_user_model, login  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402


def test_login(request):
    user = get_user_model().objects.get(username=request.GET.get("user", "alice"))
    login(request, user)
    return HttpResponse("logged in")


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("test/login", test_login),
]

call_command("migrate", verbosity=0)
from oauth2_provider.models import Application  # noqa: E402

alice = get_user_model().objects.create_user("alice", "alice@example.com", "alice-password")
Application.objects.create(
    name="lanyard device",
    client_id="lanyard-device",
    client_type=Application.CLIENT_PUBLIC,
    authorization_grant_type=Application.GRANT_DEVICE_CODE,
    user=alice,
    skip_authorization=False,
)
Application.objects.create(
    name="lanyard web",
    client_id="lanyard-web",
    client_type=Application.CLIENT_PUBLIC,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris="http://127.0.0.1/callback",
    algorithm=Application.RS256_ALGORITHM,
    user=alice,
    skip_authorization=False,
)


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


from django.core.wsgi import get_wsgi_application  # noqa: E402

server = make_server("127.0.0.1", port, get_wsgi_application(), server_class=Threading, handler_class=Quiet)
print(f"READY {server.server_port}", flush=True)
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
server.serve_forever()
