"""Tables and API models of the directory: kommuner (tenants), units, people, their roles and identities."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from varde_common.calendar import now_utc
from varde_common.inputs import CleanText, Day, InputText, Instant, YesNo
from varde_common.language import Language
from varde_common.pages import Page
from varde_common.roles import Role
from varde_common.tenant_settings import (
    AcknowledgeDeadlineHoursInput,
    ColourInput,
    TenantSettings,
    UnitTypesInput,
)
from varde_directory.domain import ProviderKind


def _now() -> datetime:
    return now_utc()


def _timestamp(**kwargs: Any) -> Any:
    return SQLField(default_factory=_now, sa_type=sa.DateTime(timezone=True), **kwargs)


class Tenant(SQLModel, table=True):
    """A kommune. The registry of tenants is the one table that is not itself tenant-scoped."""

    id: uuid.UUID = SQLField(primary_key=True)
    slug: str = SQLField(sa_column=sa.Column(sa.Text, unique=True, nullable=False))
    name: str
    organisation_number: str | None = None
    settings: dict[str, Any] = SQLField(default_factory=dict, sa_column=sa.Column(JSONB, nullable=False))
    created_at: datetime = _timestamp()


class IdentityProvider(SQLModel, table=True):
    """An OpenID Connect provider a kommune's people sign in with (Entra ID, ID-porten, Feide, …)."""

    __tablename__ = "identity_provider"

    id: uuid.UUID = SQLField(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = SQLField(index=True)
    name: str
    kind: str
    issuer: str
    audience: str
    jwks_url: str
    algorithms: list[str] = SQLField(sa_column=sa.Column(ARRAY(sa.Text), nullable=False))
    subject_claim: str = "sub"
    client_id: str | None = None
    authorization_endpoint: str | None = None
    token_endpoint: str | None = None
    end_session_endpoint: str | None = None
    enabled: bool = True
    created_at: datetime = _timestamp()


class OrgUnit(SQLModel, table=True):
    """A unit (enhet) of the organisation tree."""

    __tablename__ = "org_unit"

    id: uuid.UUID = SQLField(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = SQLField(index=True)
    parent_id: uuid.UUID | None = SQLField(default=None, foreign_key="org_unit.id")
    name: str
    unit_type: str
    external_key: str | None = None
    leader_person_id: uuid.UUID | None = SQLField(default=None, foreign_key="person.id")
    closed_at: datetime | None = SQLField(default=None, sa_type=sa.DateTime(timezone=True))


class OrgUnitHistory(SQLModel, table=True):
    """One period of a unit's life: moving, renaming, a new leader or closing starts a new period."""

    __tablename__ = "org_unit_history"

    id: uuid.UUID = SQLField(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    unit_id: uuid.UUID = SQLField(foreign_key="org_unit.id")
    valid_from: datetime = _timestamp()
    valid_to: datetime | None = SQLField(default=None, sa_type=sa.DateTime(timezone=True))
    parent_id: uuid.UUID | None
    name: str
    unit_type: str
    leader_person_id: uuid.UUID | None
    closed: bool = False
    changed_by: uuid.UUID | None = None


class Person(SQLModel, table=True):
    id: uuid.UUID = SQLField(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = SQLField(index=True)
    name: str
    email: str
    employee_number: str | None = None
    active: bool = True
    # The målform the person chose for themself; None follows the kommune's (its settings).
    malform: str | None = None
    created_at: datetime = _timestamp()


class PersonIdentity(SQLModel, table=True):
    """The subject a person has at one identity provider."""

    __tablename__ = "person_identity"

    id: uuid.UUID = SQLField(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID
    person_id: uuid.UUID = SQLField(foreign_key="person.id")
    provider_id: uuid.UUID = SQLField(foreign_key="identity_provider.id")
    subject: str


class RoleAssignment(SQLModel, table=True):
    """A role held in a unit, reaching its subtree, from ``starts_on`` to ``ends_on`` (inclusive; open if NULL)."""

    __tablename__ = "role_assignment"

    id: uuid.UUID = SQLField(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = SQLField(index=True)
    person_id: uuid.UUID = SQLField(foreign_key="person.id", index=True)
    unit_id: uuid.UUID = SQLField(foreign_key="org_unit.id")
    role: str
    starts_on: date | None = None
    ends_on: date | None = None


class BrowserSession(SQLModel, table=True):
    """A signed-in browser: the gateway's cookie holds a secret whose SHA-256 is the id."""

    __tablename__ = "browser_session"

    id: str = SQLField(primary_key=True)
    tenant_id: uuid.UUID
    person_id: uuid.UUID = SQLField(foreign_key="person.id")
    provider_id: uuid.UUID = SQLField(foreign_key="identity_provider.id")
    created_at: datetime = _timestamp()
    expires_at: datetime = SQLField(sa_type=sa.DateTime(timezone=True))
    ended_at: datetime | None = SQLField(default=None, sa_type=sa.DateTime(timezone=True))


# --- API models -------------------------------------------------------------------------------------------


InputEmail = Annotated[EmailStr, CleanText()]


class _Input(BaseModel):
    """Inputs reject unknown fields: ``tenant_id``, ``id`` or ``created_by`` in a body are an error, never stored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TenantPublic(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    organisation_number: str | None
    settings: TenantSettings


class TenantSettingsChange(_Input):
    """Only the settings named change; a setting given as null goes back to its default. ``unit_types``, when
    given, is the whole new list. The acceptance matrix for risks is set in risk (``PUT /api/v1/risk/matrix``)."""

    acknowledge_deadline_hours: AcknowledgeDeadlineHoursInput | None = Field(
        default=None, title="Frist for å ta avvik til behandling (timer)"
    )
    anonymous_reporting: YesNo | None = Field(default=None, title="Anonym melding")
    unit_types: UnitTypesInput | None = Field(default=None, title="Enhetstyper")
    malform: Language | None = Field(default=None, title="Kommunens målform")
    colour: ColourInput | None = Field(default=None, title="Kommunens farge")
    # Kept out of the document: accepted only to answer that the matrix moved (a 422 saying where it is now).
    risk_acceptance: SkipJsonSchema[Any] = Field(default=None, title="Akseptkriterier for risiko")

    def named(self) -> dict[str, Any]:
        """The settings this change names, with their new values (None: back to the default)."""
        return {name: getattr(self, name) for name in self.model_fields_set if name != "risk_acceptance"}


class TenantUpdate(_Input):
    name: InputText | None = Field(default=None, min_length=2, max_length=120, title="Kommunens navn")
    settings: TenantSettingsChange | None = Field(default=None, title="Innstillinger")


class RolePublic(BaseModel):
    id: uuid.UUID
    role: Role
    unit_id: uuid.UUID
    unit_name: str
    starts_on: date | None = None
    ends_on: date | None = None


class RoleAssignmentCreate(_Input):
    role: Role = Field(title="Rolle")
    unit_id: uuid.UUID = Field(title="Enhet")
    starts_on: Day | None = Field(default=None, title="Startdato")
    ends_on: Day | None = Field(default=None, title="Sluttdato")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"role": "verneombud", "unit_id": "{unit_id}"}]},
    )


class IdentityLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider_id: uuid.UUID = Field(title="Identitetsleverandør")
    subject: InputText = Field(min_length=1, max_length=400, title="Identitet hos leverandøren")


class PersonPublic(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    employee_number: str | None = None
    active: bool = True
    roles: list[RolePublic]
    identities: list[IdentityLink] = Field(
        default_factory=list, description="Vises for personen selv og for kommunens systemadministratorer"
    )


class PersonPage(Page[PersonPublic]):
    pass


class PreferencesPublic(BaseModel):
    """The signed-in person's own choices, and what the pages are in because of them."""

    malform: Language | None = Field(description="Målformen personen har valgt selv; tom følger kommunens")
    kommune_malform: Language = Field(description="Kommunens målform, for den som ikke har valgt selv")
    language: Language = Field(description="Målformen sidene har for personen: eget valg, ellers kommunens")


class PreferencesChange(_Input):
    """The whole set of the person's own choices; ``malform`` null (or left out) follows the kommune's."""

    malform: Language | None = Field(default=None, title="Målform")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"malform": "nn"}]})


class MePublic(PersonPublic):
    """The signed-in person, with their own choices and their kommune (one call gives a client all it needs to draw
    its pages)."""

    preferences: PreferencesPublic
    kommune: TenantPublic = Field(title="Kommunen", description="Kommunen personen hører til, med innstillingene")


class PersonCreate(_Input):
    name: InputText = Field(min_length=2, max_length=200, title="Navn")
    email: InputEmail = Field(title="E-postadresse")
    employee_number: InputText | None = Field(default=None, max_length=40, title="Ansattnummer")
    identities: list[IdentityLink] = Field(default_factory=list, title="Identiteter")

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"name": "Test Testesen", "email": "{unique}@example.no"}]},
    )


class PersonUpdate(_Input):
    """``identities``, when given, is the whole new list of the person's identities."""

    name: InputText | None = Field(default=None, min_length=2, max_length=200, title="Navn")
    email: InputEmail | None = Field(default=None, title="E-postadresse")
    employee_number: InputText | None = Field(default=None, max_length=40, title="Ansattnummer")
    active: YesNo | None = Field(default=None, title="Aktiv")
    identities: list[IdentityLink] | None = Field(default=None, title="Identiteter")


class OrgUnitPublic(BaseModel):
    id: uuid.UUID
    parent_id: uuid.UUID | None
    parent_name: str | None = None
    name: str
    unit_type: str
    external_key: str | None = None
    leader_person_id: uuid.UUID | None
    leader_name: str | None = None
    closed: bool = False


class OrgUnitPage(Page[OrgUnitPublic]):
    pass


class OrgUnitCreate(_Input):
    name: InputText = Field(min_length=2, max_length=200, title="Navn")
    unit_type: InputText = Field(min_length=1, max_length=40, title="Enhetstype")
    parent_id: uuid.UUID | None = Field(default=None, title="Overordnet enhet")
    external_key: InputText | None = Field(default=None, max_length=60, title="Enhetskode")
    leader_person_id: uuid.UUID | None = Field(default=None, title="Leder")

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"name": "Testavdeling", "unit_type": "avdeling", "parent_id": "{unit_id}"}]},
    )


class OrgUnitUpdate(_Input):
    """Rename, move (``parent_id``) or give a new leader; each change starts a new period in the history."""

    name: InputText | None = Field(default=None, min_length=2, max_length=200, title="Navn")
    parent_id: uuid.UUID | None = Field(default=None, title="Overordnet enhet")
    leader_person_id: uuid.UUID | None = Field(default=None, title="Leder")
    external_key: InputText | None = Field(default=None, max_length=60, title="Enhetskode")


class OrgUnitPeriod(BaseModel):
    valid_from: datetime
    valid_to: datetime | None
    parent_id: uuid.UUID | None
    parent_name: str | None = None
    name: str
    unit_type: str
    leader_person_id: uuid.UUID | None
    leader_name: str | None = None
    closed: bool
    changed_by: uuid.UUID | None = Field(default=None, description="Hvem som endret enheten; tom for HR-importen")
    changed_by_name: str | None = None


class OrgUnitPeriodPage(Page[OrgUnitPeriod]):
    pass


class IdentityProviderBase(_Input):
    name: InputText = Field(min_length=2, max_length=120, title="Navn")
    kind: ProviderKind = Field(title="Type")
    issuer: InputText = Field(min_length=3, max_length=400, title="Utsteder (issuer)")
    audience: InputText = Field(min_length=1, max_length=400, title="Målgruppe (audience)")
    jwks_url: HttpUrl = Field(title="Adresse til nøklene (JWKS)")
    algorithms: list[InputText] = Field(default_factory=lambda: ["RS256"], min_length=1, title="Algoritmer")
    subject_claim: InputText = Field(default="sub", min_length=1, max_length=40, title="Felt med identiteten (claim)")
    client_id: InputText | None = Field(default=None, title="Klient-id for nettleserinnlogging")
    authorization_endpoint: HttpUrl | None = Field(default=None, title="Adresse for innlogging")
    token_endpoint: HttpUrl | None = Field(default=None, title="Adresse for token")
    end_session_endpoint: HttpUrl | None = Field(default=None, title="Adresse for utlogging")
    enabled: YesNo = Field(default=True, title="I bruk")


class IdentityProviderCreate(IdentityProviderBase):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Test-IdP",
                    "kind": "oidc",
                    "issuer": "https://idp.example.no/{unique}",
                    "audience": "varde",
                    "jwks_url": "https://idp.example.no/jwks",
                }
            ]
        },
    )


class IdentityProviderPublic(BaseModel):
    id: uuid.UUID
    name: str
    kind: ProviderKind
    issuer: str
    audience: str
    jwks_url: str
    algorithms: list[str]
    subject_claim: str
    client_id: str | None
    authorization_endpoint: str | None
    token_endpoint: str | None
    end_session_endpoint: str | None
    enabled: bool


class IdentityProviderPage(Page[IdentityProviderPublic]):
    pass


# --- what the gateway calls under /internal (not in the public document) ---------------------------------------


class TenantIdentityProviders(BaseModel):
    """What the gateway needs to check a kommune's tokens."""

    tenant_id: uuid.UUID
    tenant_slug: str
    providers: list[IdentityProviderPublic]


class SessionCreate(_Input):
    tenant_id: uuid.UUID
    person_id: uuid.UUID
    provider_id: uuid.UUID
    session_hash: InputText = Field(pattern=r"^[0-9a-f]{64}$")
    expires_at: Instant


class SessionPublic(BaseModel):
    tenant_id: uuid.UUID
    tenant_slug: str
    person_id: uuid.UUID
    expires_at: datetime


class DevPerson(BaseModel):
    """A demo person as the development identity provider lists them."""

    tenant: str
    tenant_name: str
    email: str
    name: str
    roles: list[RolePublic]


class PersonLookup(BaseModel):
    tenant_id: uuid.UUID
    tenant_slug: str
    person_id: uuid.UUID
