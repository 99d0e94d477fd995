"""Settings of the web client."""

from __future__ import annotations

from varde_common.settings import BaseVardeSettings


class WebSettings(BaseVardeSettings):
    http_port: int = 8100
    # Where the web calls the public /api/v1, as the signed-in person: the gateway, as every other client does.
    gateway_url: str = "http://127.0.0.1:8080"
    # The address people open in their browser (the gateway's VARDE_PUBLIC_URL): what a poster's QR code leads to.
    # Empty where the web reaches the gateway at that same address, as on a laptop.
    public_url: str = ""
    # How long the web waits for an answer from the gateway; below the gateway's own timeout for the web.
    api_timeout_s: float = 12.0
    # The largest photo the deviations API takes (its VARDE_ATTACHMENT_MAX_BYTES, the same variable): the web
    # refuses a larger one before the report is made, with the API's own message.
    attachment_max_bytes: int = 10 * 1_048_576
    # Who answers for this installation, named on the accessibility and privacy statements: the kommune (or the
    # kommuner's shared IT service) that runs it. Signed in, a person reads their own kommune's name beside it.
    responsible_name: str = ""
    # Where feedback on accessibility and questions about personal data go (a mailto link on both statements).
    contact_email: str = ""
    # The personvernombud (data protection officer) of the kommune, on the privacy statement.
    privacy_officer_email: str = ""
