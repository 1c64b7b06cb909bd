"""pyftpdlib (Debian's python3-pyftpdlib) as an FTPS test server for ftpsctl's testbed.

Started by start-pyftpdlib.ts as `/usr/bin/python3 pyftpdlib-server.py CONFIG.json`; the
config file is 0600 and holds a PBKDF2-SHA256 hash of the password, never the password.
Listens on 127.0.0.1 only, on the port and passive range the launcher picked, and serves
one folder as `/` with TLS_FTPHandler (explicit FTPS, PROT P required when asked).

Options in the config (see start-pyftpdlib.ts): unicodeErrors ("surrogateescape" keeps
names that are not UTF-8 as their bytes on the wire, "replace" turns them into "?"),
advertiseUtf8 (drop UTF8 from FEAT), refuseMlsd (keep MLST in FEAT, answer MLSD with
500, the fault seen in the field), tlsDataRequired.
"""
import hashlib
import hmac
import json
import sys

from pyftpdlib.authorizers import AuthenticationFailed, DummyAuthorizer
from pyftpdlib.handlers import TLS_FTPHandler
from pyftpdlib.servers import FTPServer


class HashAuthorizer(DummyAuthorizer):
    """DummyAuthorizer that checks a PBKDF2-SHA256 hash ({salt, iterations, hash} in hex) instead of a stored password."""

    def __init__(self, hashes):
        super().__init__()
        self._hashes = hashes

    def validate_authentication(self, username, password, handler):
        expected = self._hashes.get(username)
        if expected is None:
            raise AuthenticationFailed("Authentication failed.")
        derived = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(expected["salt"]), expected["iterations"])
        if not hmac.compare_digest(derived.hex(), expected["hash"]):
            raise AuthenticationFailed("Authentication failed.")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        config = json.load(f)

    authorizer = HashAuthorizer({config["user"]: config["passwordHash"]})
    # elradfmwMT: every permission, so uploads, renames and deletes work as on the other servers.
    authorizer.add_user(config["user"], "unused", config["root"], perm="elradfmwMT")

    class Handler(TLS_FTPHandler):
        pass

    Handler.authorizer = authorizer
    Handler.certfile = config["certFile"]
    Handler.keyfile = config["keyFile"]
    Handler.tls_control_required = True
    Handler.tls_data_required = config.get("tlsDataRequired", True)
    Handler.passive_ports = range(config["passivePorts"][0], config["passivePorts"][1] + 1)
    Handler.unicode_errors = config.get("unicodeErrors", "surrogateescape")
    Handler.banner = "pyftpdlib ftpsctl testbed ready."
    Handler.permit_foreign_addresses = False

    if config.get("refuseMlsd"):
        Handler.proto_cmds = dict(Handler.proto_cmds)
        del Handler.proto_cmds["MLSD"]

    if not config.get("advertiseUtf8", True):
        original_feat = Handler.ftp_FEAT

        def ftp_feat_without_utf8(self, line):
            push = self.push
            self.push = lambda data: push(data.replace(" UTF8\r\n", ""))
            try:
                original_feat(self, line)
            finally:
                self.push = push

        Handler.ftp_FEAT = ftp_feat_without_utf8

    server = FTPServer(("127.0.0.1", config["port"]), Handler)
    server.max_cons = 64
    server.serve_forever()


if __name__ == "__main__":
    main()
