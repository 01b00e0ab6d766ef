"""A stand-in for Stripe's API on loopback, for the tests and for trying the site by hand.

It answers the few endpoints the site calls with objects shaped like Stripe's published examples
(`../shared/stripe-openapi/fixtures3.json`), honours idempotency keys as Stripe does, and records
every request so tests can assert exactly what was sent. It also serves a pretend hosted Checkout
page (`/pay/<session id>`) with "Pay" and "Cancel" links that redirect like Stripe's.

Payments' balance transactions: `pay(payment_intent, amount, currency, fee=None, invoice=None)` makes
a payment intent with a succeeded charge and its balance transaction (the fee Stripe's US price would
take unless given), which `GET /v1/payment_intents/<id>` returns, expanded on request, and
`GET /v1/invoice_payments?invoice=` links to its invoice.

Faults on demand: `fail_next(status, times)` answers errors, `delay` makes every answer slow,
`stop()` takes the server down.

By hand: `.venv/bin/python -m tests.donations.fake_stripe 12111`, then run the site with
STRIPE_API_BASE=http://127.0.0.1:12111 and any STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET.
"""

import copy
import html
import itertools
import json
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

CREATED = 1_767_225_600  # 2026-01-01, a fixed "now" so answers are stable


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict
    params: dict
    body: str = ""

    def header(self, name):
        return self.headers.get(name.lower())


def decode_params(pairs) -> dict:
    """Stripe's form encoding (`line_items[0][price_data][currency]=usd`) back into nested data."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(key.isdigit() for key in node):
            return [_lists(node[key]) for key in sorted(node, key=int)]
        return {key: _lists(value) for key, value in node.items()}
    return node


@dataclass
class FakeStripe:
    requests: list = field(default_factory=list)
    delay: float = 0.0
    sessions: dict = field(default_factory=dict)
    # payment intent id -> invoice (as Stripe would return it), for refunds of monthly instalments
    invoices_by_payment_intent: dict = field(default_factory=dict)
    # What Stripe's list endpoints return (the reconciliation reads them); tests fill them in.
    invoices: list = field(default_factory=list)
    refunds: list = field(default_factory=list)
    # payment intent id -> (charge, balance transaction); invoice id -> payment intent id
    charges: dict = field(default_factory=dict)
    invoice_payment_intents: dict = field(default_factory=dict)

    def __post_init__(self):
        self._ids = itertools.count(1)
        self._tag = secrets.token_hex(3)
        self._idempotent: dict = {}
        self._in_progress: set = set()
        self._failures: list = []
        self._lock = threading.Lock()
        self._server = None

    # Control ------------------------------------------------------------------------------

    def start(self, port=0):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status=500, times=1, path=None):
        """Answer the next `times` API requests (to `path` only, when given) with `status`."""
        self._failures.extend([(status, path)] * times)

    def pay(self, payment_intent, amount, currency, fee=None, invoice=None, balance_currency=None):
        """A payment Stripe took: its charge and balance transaction, shaped as Stripe's examples."""
        fee = round(amount * 0.029) + 30 if fee is None else fee
        charge_id, transaction_id = self.new_id("ch"), self.new_id("txn")
        transaction = {
            **copy.deepcopy(BALANCE_TRANSACTION),
            "id": transaction_id,
            "amount": amount,
            "currency": (balance_currency or currency).lower(),
            "fee": fee,
            "fee_details": [
                {"amount": fee, "currency": currency.lower(), "description": "Stripe fees", "type": "stripe_fee"}
            ],
            "net": amount - fee,
            "source": charge_id,
        }
        charge = {
            "id": charge_id,
            "object": "charge",
            "amount": amount,
            "amount_captured": amount,
            "amount_refunded": 0,
            "balance_transaction": transaction_id,
            "captured": True,
            "created": CREATED,
            "currency": currency.lower(),
            "livemode": False,
            "metadata": {},
            "paid": True,
            "payment_intent": payment_intent,
            "refunded": False,
            "status": "succeeded",
        }
        self.charges[payment_intent] = (charge, transaction)
        if invoice:
            self.invoice_payment_intents[invoice] = payment_intent
        return charge, transaction

    def api_requests(self, path=None):
        return [r for r in self.requests if r.path.startswith("/v1/") and (path is None or r.path == path)]

    def new_id(self, prefix):
        # A per-server tag keeps ids unique across restarts, as Stripe's are.
        return f"{prefix}_test_{self._tag}{next(self._ids):06d}"

    # Serving ------------------------------------------------------------------------------

    def _handle(self, handler, method):
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        pairs = parse_qsl(body if method == "POST" else parts.query, keep_blank_values=True)
        request = RecordedRequest(
            method, parts.path, {k.lower(): v for k, v in handler.headers.items()}, decode_params(pairs), body
        )
        if parts.path.startswith("/v1/"):
            with self._lock:
                self.requests.append(request)
                failure = None
                for position, (status, path) in enumerate(self._failures):
                    if path in (None, parts.path):
                        failure = status
                        del self._failures[position]
                        break
            if failure:
                return self._json(handler, failure, _error(failure))
            return self._api(handler, request)
        return self._hosted_page(handler, request)

    def _api(self, handler, request):
        key = request.header("idempotency-key")
        if request.method == "POST" and key:
            # As Stripe does: a key replays its first answer, but only for the same parameters, and a
            # request arriving while the first with its key is still running is refused (409).
            with self._lock:
                if (key, request.path) in self._idempotent:
                    params, status, payload = self._idempotent[(key, request.path)]
                    if params != request.params:
                        return self._json(handler, 400, _idempotency_error(MISMATCH))
                    return self._json(handler, status, payload, replayed=True)
                if (key, request.path) in self._in_progress:
                    return self._json(handler, 409, _idempotency_error(IN_PROGRESS))
                self._in_progress.add((key, request.path))
            try:
                return self._answer(handler, request, key)
            finally:
                with self._lock:
                    self._in_progress.discard((key, request.path))
        return self._answer(handler, request, key)

    def _answer(self, handler, request, key):
        if self.delay:
            time.sleep(self.delay)
        route = {
            ("POST", "/v1/checkout/sessions"): self._create_checkout_session,
            ("POST", "/v1/billing_portal/sessions"): self._create_portal_session,
            ("GET", "/v1/invoice_payments"): self._list_invoice_payments,
            ("GET", "/v1/payment_intents"): self._retrieve_payment_intent,
            ("GET", "/v1/checkout/sessions"): lambda r: self._page(list(self.sessions.values()), r),
            ("GET", "/v1/invoices"): lambda r: self._page(
                [i for i in self.invoices if r.params.get("status") in (None, i["status"])], r
            ),
            ("GET", "/v1/refunds"): lambda r: self._page(self.refunds, r),
        }.get((request.method, _route_path(request.path)))
        if route is None:
            return self._json(handler, 404, _error(404, f"Unrecognized request URL ({request.path})."))
        status, payload = route(request)
        if request.method == "POST" and key:
            with self._lock:
                self._idempotent[(key, request.path)] = (request.params, status, payload)
        return self._json(handler, status, payload)

    def _create_checkout_session(self, request):
        params = request.params
        session_id = self.new_id("cs")
        item = params["line_items"][0]
        price = item["price_data"]
        session = copy.deepcopy(CHECKOUT_SESSION)
        session.update(
            {
                "id": session_id,
                "created": int(time.time()),
                "status": "open",
                "url": f"{self.url}/pay/{session_id}",
                "mode": params["mode"],
                "submit_type": params.get("submit_type"),
                "amount_subtotal": int(price["unit_amount"]) * int(item.get("quantity", 1)),
                "amount_total": int(price["unit_amount"]) * int(item.get("quantity", 1)),
                "currency": price["currency"],
                "client_reference_id": params.get("client_reference_id"),
                "customer_email": params.get("customer_email"),
                "metadata": params.get("metadata", {}),
                "success_url": params["success_url"],
                "cancel_url": params["cancel_url"],
            }
        )
        self.sessions[session_id] = session
        return 200, session

    def _create_portal_session(self, request):
        portal_id = self.new_id("bps")
        return 200, {
            "id": portal_id,
            "object": "billing_portal.session",
            "configuration": "bpc_test_default",
            "created": CREATED,
            "customer": request.params["customer"],
            "flow": None,
            "livemode": False,
            "locale": None,
            "on_behalf_of": None,
            "return_url": request.params.get("return_url"),
            "url": f"{self.url}/portal/{portal_id}",
        }

    def _page(self, items, request):
        """One page of a list, as Stripe pages them: newest first, `limit`, `starting_after`."""
        since = int((request.params.get("created") or {}).get("gte", 0))
        items = sorted((i for i in items if i.get("created", 0) >= since), key=lambda i: i["created"], reverse=True)
        after = request.params.get("starting_after")
        if after:
            items = items[[i["id"] for i in items].index(after) + 1 :]
        limit = int(request.params.get("limit", 10))
        return 200, {"object": "list", "data": items[:limit], "has_more": len(items) > limit, "url": request.path}

    def _retrieve_payment_intent(self, request):
        payment_intent = request.path.rsplit("/", 1)[1]
        if payment_intent not in self.charges:
            return 404, _error(404, f"No such payment_intent: '{payment_intent}'")
        charge, transaction = self.charges[payment_intent]
        expand = request.params.get("expand") or []
        latest_charge = charge["id"]
        if "latest_charge" in expand or "latest_charge.balance_transaction" in expand:
            latest_charge = dict(charge)
            if "latest_charge.balance_transaction" in expand:
                latest_charge["balance_transaction"] = transaction
        return 200, {
            "id": payment_intent,
            "object": "payment_intent",
            "amount": charge["amount"],
            "amount_received": charge["amount"],
            "created": CREATED,
            "currency": charge["currency"],
            "latest_charge": latest_charge,
            "livemode": False,
            "metadata": {},
            "status": "succeeded",
        }

    def _list_invoice_payments(self, request):
        if request.params.get("invoice"):
            payment_intent = self.invoice_payment_intents.get(request.params["invoice"])
            data = []
            if payment_intent:
                charge, _transaction = self.charges[payment_intent]
                data.append(
                    {
                        "id": self.new_id("inpay"),
                        "object": "invoice_payment",
                        "amount_paid": charge["amount"],
                        "amount_requested": charge["amount"],
                        "created": CREATED,
                        "currency": charge["currency"],
                        "invoice": request.params["invoice"],
                        "is_default": True,
                        "livemode": False,
                        "payment": {"type": "payment_intent", "payment_intent": payment_intent},
                        "status": "paid",
                        "status_transitions": {"canceled_at": None, "paid_at": CREATED},
                    }
                )
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/invoice_payments"}
        payment_intent = request.params.get("payment", {}).get("payment_intent")
        invoice = self.invoices_by_payment_intent.get(payment_intent)
        data = []
        if invoice is not None:
            data.append(
                {
                    "id": self.new_id("inpay"),
                    "object": "invoice_payment",
                    "amount_paid": invoice["amount_paid"],
                    "amount_requested": invoice["amount_paid"],
                    "created": CREATED,
                    "currency": invoice["currency"],
                    "invoice": invoice,
                    "is_default": True,
                    "livemode": False,
                    "payment": {"type": "payment_intent", "payment_intent": payment_intent},
                    "status": "paid",
                    "status_transitions": {"canceled_at": None, "paid_at": CREATED},
                }
            )
        return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/invoice_payments"}

    def _hosted_page(self, handler, request):
        match = re.fullmatch(r"/pay/(cs_test_\w+?)(/complete|/cancel)?", request.path)
        session = self.sessions.get(match.group(1)) if match else None
        if session is None:
            return self._html(handler, 404, "<h1>No such checkout session</h1>")
        if match.group(2) == "/complete":
            target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
            return self._redirect(handler, target)
        if match.group(2) == "/cancel":
            return self._redirect(handler, session["cancel_url"])
        amount = html.escape(f"{session['amount_total']} {session['currency']} (minor units), {session['mode']}")
        return self._html(
            handler,
            200,
            f"<h1>Fake Stripe Checkout</h1><p>{amount}</p>"
            f'<p><a id="pay" href="/pay/{session["id"]}/complete">Pay</a> '
            f'<a id="cancel" href="/pay/{session["id"]}/cancel">Back</a></p>',
        )

    # Answers ------------------------------------------------------------------------------

    def _json(self, handler, status, payload, replayed=False):
        body = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Request-Id", f"req_{next(self._ids):06d}")
        if replayed:
            handler.send_header("Idempotent-Replayed", "true")
        handler.end_headers()
        handler.wfile.write(body)

    def _html(self, handler, status, body):
        data = f"<!DOCTYPE html><html lang='en'><title>Fake Stripe</title><body>{body}</body></html>".encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _redirect(self, handler, location):
        handler.send_response(303)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()


MISMATCH = (
    "Keys for idempotent requests can only be used with the same parameters they were first used with. "
    "Try using a key other than the one used in the original request."
)
IN_PROGRESS = (
    "There is currently another in-progress request using this Idempotent Key (that probably means you "
    "submitted twice, and the other request is still going through). Please retry this request later."
)


def _route_path(path):
    """The path without a retrieved object's id: /v1/payment_intents/pi_123 is /v1/payment_intents."""
    return path.rsplit("/", 1)[0] if path.startswith("/v1/payment_intents/") else path


def _idempotency_error(message):
    return {"error": {"type": "idempotency_error", "message": message}}


def _error(status, message="Something went wrong on Stripe's end."):
    kind = "invalid_request_error" if status < 500 else "api_error"
    return {"error": {"type": kind, "message": message}}


# Stripe's example balance_transaction (fixtures3.json), the fields a payment's fee is read from.
BALANCE_TRANSACTION = {
    "id": "",
    "object": "balance_transaction",
    "amount": 0,
    "available_on": CREATED + 2 * 86_400,
    "balance_type": "payments",
    "created": CREATED,
    "currency": "usd",
    "description": None,
    "exchange_rate": None,
    "fee": 0,
    "fee_details": [],
    "net": 0,
    "reporting_category": "charge",
    "source": "",
    "status": "pending",
    "type": "charge",
}


# The fields of Stripe's example checkout.session the site or Stripe's library may read.
CHECKOUT_SESSION = {
    "id": "",
    "object": "checkout.session",
    "after_expiration": None,
    "allow_promotion_codes": None,
    "amount_subtotal": None,
    "amount_total": None,
    "automatic_tax": {"enabled": False, "liability": None, "status": None, "provider": None},
    "billing_address_collection": None,
    "cancel_url": None,
    "client_reference_id": None,
    "client_secret": None,
    "consent": None,
    "consent_collection": None,
    "created": CREATED,
    "currency": None,
    "custom_fields": [],
    "custom_text": {"after_submit": None, "shipping_address": None, "submit": None},
    "customer": None,
    "customer_creation": None,
    "customer_details": None,
    "customer_email": None,
    "expires_at": CREATED + 86_400,
    "invoice": None,
    "invoice_creation": None,
    "livemode": False,
    "locale": None,
    "metadata": {},
    "mode": "payment",
    "payment_intent": None,
    "payment_link": None,
    "payment_method_collection": "if_required",
    "payment_method_options": {},
    "payment_method_types": ["card"],
    "payment_status": "unpaid",
    "phone_number_collection": {"enabled": False},
    "recovered_from": None,
    "setup_intent": None,
    "shipping_address_collection": None,
    "shipping_options": [],
    "status": "open",
    "submit_type": None,
    "subscription": None,
    "success_url": None,
    "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
    "ui_mode": "hosted",
    "url": None,
}


if __name__ == "__main__":
    fake = FakeStripe().start(port=int(sys.argv[1]) if len(sys.argv) > 1 else 12111)
    print(f"Fake Stripe at {fake.url}; Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()
