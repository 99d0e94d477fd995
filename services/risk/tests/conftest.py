from __future__ import annotations

from pathlib import Path

import varde_risk
from varde_common.testing.service import service_fixtures
from varde_risk.app import create_app
from varde_risk.config import RiskSettings

MIGRATIONS = Path(varde_risk.__file__).parent / "migrations"

database, engine, sessions, org, client, token_signer = service_fixtures("risk", MIGRATIONS, create_app, RiskSettings)
