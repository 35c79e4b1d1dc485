"""A stand-in Telegram Bot API for the stack test (deploy/podman/test-stack.sh):
just enough for spares-bot to start and long-poll (getMe, setMyCommands,
deleteWebhook, getUpdates with no updates). It records the methods called
in /tmp/calls.log so the test can see the bot talked to it. Standard library
only; test use only."""

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ME = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Spares test",
    "username": "spares_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}


class Api(BaseHTTPRequestHandler):
    def _answer(self):
        # Method names are case-insensitive (teloxide sends "GetMe").
        method = self.path.rsplit("/", 1)[-1].split("?")[0].lower()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with open("/tmp/calls.log", "a", encoding="utf-8") as log:
            log.write(method + "\n")
        if method == "getme":
            result = ME
        elif method == "getupdates":
            try:
                timeout = min(int(json.loads(body or b"{}").get("timeout", 0)), 5)
            except ValueError:
                timeout = 0
            time.sleep(timeout)
            result = []
        else:
            result = True
        data = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", 8081), Api).serve_forever()
