"""Mail really leaves through SMTP: a tiny SMTP server in the test receives the verification link."""

import socket
import socketserver
import threading

import pytest

from app.config import TestConfig


class _SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go ahead\r\n")
                body = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                self.server.messages.append(body.decode())
                self.wfile.write(b"250 queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_config(smtp_server):
    return type(
        "SmtpConfig",
        (TestConfig,),
        {
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server.server_address[1],
        },
    )


def test_verification_mail_goes_through_smtp(client, smtp_server):
    client.post(
        "/register",
        data={
            "display_name": "Sam",
            "email": "sam@example.org",
            "password": "a fine long password",
            "confirm": "a fine long password",
        },
    )
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert "To: sam@example.org" in message and "http://localhost/verify/" in message


def test_a_mail_server_that_is_down_does_not_break_the_page(app, client, smtp_server):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        app.config["MAIL_PORT"] = s.getsockname()[1]  # nothing listens there
    resp = client.post(
        "/register",
        data={
            "display_name": "Sam",
            "email": "sam@example.org",
            "password": "a fine long password",
            "confirm": "a fine long password",
        },
    )
    assert resp.status_code == 200 and "Check your email" in resp.text
