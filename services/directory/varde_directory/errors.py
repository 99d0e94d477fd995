"""The directory's problem types: one class per cause, with its status and its words in bokmål and nynorsk."""

from __future__ import annotations

from typing import Any

from varde_common.errors import Labeler, ProblemError
from varde_common.language import DEFAULT_LANGUAGE, Language, Text
from varde_directory.hr_files import RowError

# -- not found ---------------------------------------------------------------------------------------------------


class TenantNotFound(ProblemError):
    status = 404
    slug = "tenant-not-found"
    title = Text(nb="Kommunen finnes ikke", nn="Kommunen finst ikkje")
    detail = Text(
        nb="Kommunen du er logget inn i, finnes ikke i katalogen.",
        nn="Kommunen du er logga inn i, finst ikkje i katalogen.",
    )


class UnitNotFound(ProblemError):
    status = 404
    slug = "unit-not-found"
    title = Text(nb="Enheten finnes ikke", nn="Eininga finst ikkje")
    detail = Text(nb="Enheten finnes ikke i kommunen.", nn="Eininga finst ikkje i kommunen.")


class PersonNotFound(ProblemError):
    status = 404
    slug = "person-not-found"
    title = Text(nb="Personen finnes ikke", nn="Personen finst ikkje")
    detail = Text(nb="Personen finnes ikke i kommunen.", nn="Personen finst ikkje i kommunen.")


class RoleAssignmentNotFound(ProblemError):
    status = 404
    slug = "role-assignment-not-found"
    title = Text(nb="Rollen finnes ikke", nn="Rolla finst ikkje")
    detail = Text(nb="Rollen finnes ikke i kommunen.", nn="Rolla finst ikkje i kommunen.")


class IdentityProviderNotFound(ProblemError):
    """Also for those who may not see the kommune's identity providers: only its administrators do."""

    status = 404
    slug = "identity-provider-not-found"
    title = Text(nb="Identitetsleverandøren finnes ikke", nn="Identitetsleverandøren finst ikkje")
    detail = Text(
        nb="Identitetsleverandøren finnes ikke i kommunen.", nn="Identitetsleverandøren finst ikkje i kommunen."
    )


# -- who may -----------------------------------------------------------------------------------------------------


class DirectoryAdministrationForbidden(ProblemError):
    status = 403
    slug = "directory-administration-forbidden"
    title = Text(nb="Ingen tilgang", nn="Ingen tilgang")
    detail = Text(
        nb="Du har ikke tilgang til å endre dette i katalogen. Det gjør en systemadministrator for enheten eller "
        "kommunen.",
        nn="Du har ikkje tilgang til å endre dette i katalogen. Det gjer ein systemadministrator for eininga eller "
        "kommunen.",
    )


# -- the kommune's settings --------------------------------------------------------------------------------------


class RiskAcceptanceMovedToRisk(ProblemError):
    status = 422
    slug = "tenant-risk-acceptance-moved"
    title = Text(nb="Akseptkriteriene hører til risikomatrisen", nn="Akseptkriteria høyrer til risikomatrisa")
    detail = Text(
        nb="Akseptkriteriene for risiko er ikke lenger en innstilling i katalogen. Endre dem i kommunens "
        "risikomatrise: PUT /api/v1/risk/matrix (GET /api/v1/risk/matrix viser dem).",
        nn="Akseptkriteria for risiko er ikkje lenger ei innstilling i katalogen. Endre dei i risikomatrisa til "
        "kommunen: PUT /api/v1/risk/matrix (GET /api/v1/risk/matrix viser dei).",
    )
    field = "settings.risk_acceptance"


class UnitTypeInUse(ProblemError):
    status = 422
    slug = "tenant-unit-type-in-use"
    title = Text(nb="Enhetstypen er i bruk", nn="Einingstypen er i bruk")
    detail = Text(
        nb="Enhetstyper som er i bruk i enheter som ikke er nedlagt, kan ikke fjernes: {unit_types}. Gi enhetene en "
        "annen type, eller legg dem ned først.",
        nn="Einingstypar som er i bruk i einingar som ikkje er nedlagt, kan ikkje fjernast: {unit_types}. Gje "
        "einingane ein annan type, eller legg dei ned først.",
    )
    field = "settings.unit_types"


# -- units -------------------------------------------------------------------------------------------------------


class UnitTypeUnknown(ProblemError):
    status = 422
    slug = "unit-type-unknown"
    title = Text(nb="Ukjent enhetstype", nn="Ukjend einingstype")
    detail = Text(
        nb="Kommunen har ingen enhetstype «{unit_type}». Velg en av typene i kommunens innstillinger.",
        nn="Kommunen har ingen einingstype «{unit_type}». Vel ein av typane i innstillingane til kommunen.",
    )
    field = "unit_type"


class ParentUnitRequired(ProblemError):
    status = 422
    slug = "unit-parent-required"
    title = Text(nb="Overordnet enhet mangler", nn="Overordna eining manglar")
    detail = Text(
        nb="En ny enhet må legges under en enhet som finnes. Kommunen har allerede sin øverste enhet.",
        nn="Ei ny eining må leggjast under ei eining som finst. Kommunen har allereie den øvste eininga si.",
    )
    field = "parent_id"


class ParentUnitUnknown(ProblemError):
    status = 422
    slug = "unit-parent-unknown"
    title = Text(nb="Ukjent overordnet enhet", nn="Ukjend overordna eining")
    detail = Text(
        nb="Den overordnede enheten finnes ikke i kommunen.", nn="Den overordna eininga finst ikkje i kommunen."
    )
    field = "parent_id"


class ParentUnitClosed(ProblemError):
    status = 422
    slug = "unit-parent-closed"
    title = Text(nb="Overordnet enhet er nedlagt", nn="Overordna eining er nedlagt")
    detail = Text(
        nb="Den overordnede enheten er nedlagt. Velg en enhet som er i drift.",
        nn="Den overordna eininga er nedlagt. Vel ei eining som er i drift.",
    )
    field = "parent_id"


class TopUnitCannotMove(ProblemError):
    status = 422
    slug = "unit-top-cannot-move"
    title = Text(nb="Den øverste enheten står fast", nn="Den øvste eininga står fast")
    detail = Text(
        nb="Den øverste enheten kan ikke flyttes, og ingen annen enhet kan bli den øverste.",
        nn="Den øvste eininga kan ikkje flyttast, og inga anna eining kan bli den øvste.",
    )
    field = "parent_id"


class UnitMoveCycle(ProblemError):
    status = 422
    slug = "unit-move-cycle"
    title = Text(nb="Enheten kan ikke flyttes dit", nn="Eininga kan ikkje flyttast dit")
    detail = Text(
        nb="En enhet kan ikke flyttes under seg selv eller en av sine egne underenheter.",
        nn="Ei eining kan ikkje flyttast under seg sjølv eller ei av sine eigne undereiningar.",
    )
    field = "parent_id"


class UnitLeaderUnknown(ProblemError):
    status = 422
    slug = "unit-leader-unknown"
    title = Text(nb="Ukjent leder", nn="Ukjend leiar")
    detail = Text(nb="Lederen må være en aktiv person i kommunen.", nn="Leiaren må vere ein aktiv person i kommunen.")
    field = "leader_person_id"


class UnitKeyTaken(ProblemError):
    status = 409
    slug = "unit-key-taken"
    title = Text(nb="Enhetskoden er i bruk", nn="Einingskoden er i bruk")
    detail = Text(
        nb="En annen enhet i kommunen har allerede denne enhetskoden. Velg en annen.",
        nn="Ei anna eining i kommunen har allereie denne einingskoden. Vel ein annan.",
    )
    field = "external_key"


class UnitClosed(ProblemError):
    status = 409
    slug = "unit-closed"
    title = Text(nb="Enheten er nedlagt", nn="Eininga er nedlagt")
    detail = Text(nb="Enheten er nedlagt og kan ikke endres.", nn="Eininga er nedlagt og kan ikkje endrast.")


class TopUnitCannotClose(ProblemError):
    status = 409
    slug = "unit-top-cannot-close"
    title = Text(nb="Den øverste enheten kan ikke legges ned", nn="Den øvste eininga kan ikkje leggjast ned")
    detail = Text(
        nb="Den øverste enheten er kommunen selv og kan ikke legges ned.",
        nn="Den øvste eininga er kommunen sjølv og kan ikkje leggjast ned.",
    )


class UnitHasOpenUnits(ProblemError):
    status = 409
    slug = "unit-has-open-units"
    title = Text(nb="Enheten har underenheter", nn="Eininga har undereiningar")
    detail = Text(
        nb="Enheten har underenheter som ikke er nedlagt. Flytt dem eller legg dem ned først.",
        nn="Eininga har undereiningar som ikkje er nedlagt. Flytt dei eller legg dei ned først.",
    )


# -- people ------------------------------------------------------------------------------------------------------


class PersonEmailTaken(ProblemError):
    status = 409
    slug = "person-email-taken"
    title = Text(nb="E-postadressen er i bruk", nn="E-postadressa er i bruk")
    detail = Text(
        nb="En annen person i kommunen har allerede denne e-postadressen.",
        nn="Ein annan person i kommunen har allereie denne e-postadressa.",
    )
    field = "email"


class EmployeeNumberTaken(ProblemError):
    status = 409
    slug = "person-employee-number-taken"
    title = Text(nb="Ansattnummeret er i bruk", nn="Tilsetjingsnummeret er i bruk")
    detail = Text(
        nb="En annen person i kommunen har allerede dette ansattnummeret.",
        nn="Ein annan person i kommunen har allereie dette tilsetjingsnummeret.",
    )
    field = "employee_number"


class IdentityTaken(ProblemError):
    status = 409
    slug = "person-identity-taken"
    title = Text(nb="Identiteten tilhører en annen", nn="Identiteten høyrer til ein annan")
    detail = Text(
        nb="Identiteten hos denne identitetsleverandøren er allerede knyttet til en annen person.",
        nn="Identiteten hjå denne identitetsleverandøren er allereie knytt til ein annan person.",
    )
    field = "identities"


class IdentityProviderUnknown(ProblemError):
    """Raised with ``fields=`` naming the identity (``identities.2.provider_id``)."""

    status = 422
    slug = "person-identity-provider-unknown"
    title = Text(nb="Ukjent identitetsleverandør", nn="Ukjend identitetsleverandør")
    detail = Text(
        nb="Kommunen har ingen slik identitetsleverandør.", nn="Kommunen har ingen slik identitetsleverandør."
    )


# -- roles -------------------------------------------------------------------------------------------------------


class RoleUnitUnknown(ProblemError):
    status = 422
    slug = "role-unit-unknown"
    title = Text(nb="Ukjent enhet", nn="Ukjend eining")
    detail = Text(nb="Enheten finnes ikke i kommunen.", nn="Eininga finst ikkje i kommunen.")
    field = "unit_id"


class RoleUnitClosed(ProblemError):
    status = 422
    slug = "role-unit-closed"
    title = Text(nb="Enheten er nedlagt", nn="Eininga er nedlagt")
    detail = Text(
        nb="Enheten er nedlagt. En rolle kan bare gis i en enhet som er i drift.",
        nn="Eininga er nedlagt. Ei rolle kan berre gjevast i ei eining som er i drift.",
    )
    field = "unit_id"


class RoleDatesOutOfOrder(ProblemError):
    status = 422
    slug = "role-dates-out-of-order"
    title = Text(nb="Datoene er i feil rekkefølge", nn="Datoane er i feil rekkjefølgje")
    detail = Text(nb="Sluttdatoen kan ikke være før startdatoen.", nn="Sluttdatoen kan ikkje vere før startdatoen.")
    field = "ends_on"


class LeaderRoleMismatch(ProblemError):
    status = 422
    slug = "role-leader-mismatch"
    title = Text(nb="Lederrollen passer ikke", nn="Leiarrolla passar ikkje")
    detail = Text(
        nb="Lederrollen passer ikke til enhetstypen. Lederen av en enhet får lederrollen som er satt for enhetstypen "
        "i kommunens innstillinger.",
        nn="Leiarrolla passar ikkje til einingstypen. Leiaren av ei eining får leiarrolla som er sett for "
        "einingstypen i innstillingane til kommunen.",
    )
    field = "role"


# -- identity providers ------------------------------------------------------------------------------------------


class IssuerTaken(ProblemError):
    status = 409
    slug = "identity-provider-issuer-taken"
    title = Text(nb="Utstederen er allerede registrert", nn="Utferdaren er allereie registrert")
    detail = Text(
        nb="Kommunen har allerede en identitetsleverandør med denne utstederen og målgruppen.",
        nn="Kommunen har allereie ein identitetsleverandør med denne utferdaren og målgruppa.",
    )
    field = "issuer"


# -- the HR import -----------------------------------------------------------------------------------------------


class HrImportInvalid(ProblemError):
    """Every bad row of the file, in ``rows``: ``line`` (the CSV line, or the record's number in a JSON file with
    units first; 0 for the file as a whole), ``record`` (``people[6]``), ``field`` and ``message``."""

    status = 422
    slug = "hr-import-invalid"
    title = Text(nb="Importfilen har feil", nn="Importfila har feil")
    detail = Text(
        nb="Importfilen har {count} feil. Ingenting er endret. Rett radene som står i «rows», og prøv igjen.",
        nn="Importfila har {count} feil. Ingenting er endra. Rett radene som står i «rows», og prøv igjen.",
    )

    def __init__(self, rows: list[RowError]) -> None:
        super().__init__(count=len(rows))
        self.rows = rows

    def body(
        self, language: Language = DEFAULT_LANGUAGE, *, instance: str | None = None, label: Labeler | None = None
    ) -> dict[str, Any]:
        body = super().body(language, instance=instance, label=label)
        body["rows"] = [row.as_json(language) for row in self.rows]
        return body


class HrImportMediaType(ProblemError):
    status = 415
    slug = "hr-import-media-type"
    title = Text(nb="Ukjent filtype", nn="Ukjend filtype")
    detail = Text(
        nb="Importfilen må sendes som text/csv eller application/json.",
        nn="Importfila må sendast som text/csv eller application/json.",
    )


# -- signing in (the gateway's calls under /internal) -----------------------------------------------------------


class SubjectUnknown(ProblemError):
    status = 404
    slug = "identity-subject-unknown"
    title = Text(nb="Ukjent identitet", nn="Ukjend identitet")
    detail = Text(
        nb="Ingen aktiv person i kommunen har denne identiteten.",
        nn="Ingen aktiv person i kommunen har denne identiteten.",
    )


class BrowserSessionNotFound(ProblemError):
    """Ended, expired and unknown sessions look the same."""

    status = 404
    slug = "browser-session-not-found"
    title = Text(nb="Økten er avsluttet", nn="Økta er avslutta")
    detail = Text(nb="Økten er avsluttet eller utløpt.", nn="Økta er avslutta eller har gått ut.")


class TenantSlugUnknown(ProblemError):
    status = 404
    slug = "tenant-slug-unknown"
    title = Text(nb="Ukjent kommune", nn="Ukjend kommune")
    detail = Text(nb="Ukjent kommune: {tenant}.", nn="Ukjend kommune: {tenant}.")


class DemoPersonNotFound(ProblemError):
    status = 404
    slug = "demo-person-not-found"
    title = Text(nb="Ukjent demoperson", nn="Ukjend demoperson")
    detail = Text(
        nb="Ingen aktiv person med e-post {email} i {kommune}. GET /dev/people viser hvem som finnes.",
        nn="Ingen aktiv person med e-post {email} i {kommune}. GET /dev/people viser kven som finst.",
    )
