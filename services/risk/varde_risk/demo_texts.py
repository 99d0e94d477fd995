"""What the demo history's ROS analyses say: the analyses a kommune keeps (its overall ROS, a nursing home's fall
risk, information security in a school, a project, flood and extreme weather, medication, kitchen hygiene, home
care driving in winter, …), each with its unwanted events, their causes and barriers, a rating per consequence
dimension, the target cell after measures and the measures themselves, written the way a working group writes.

``{enhet}`` in a title becomes the name of the unit the analysis is made for.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from varde_risk.domain import AssessmentKind, Dimension, ScopeKind

LIFE, SERVICE, ECONOMY, REPUTATION, ENVIRONMENT = (
    Dimension.LIFE_AND_HEALTH,
    Dimension.SERVICE_DELIVERY,
    Dimension.ECONOMY,
    Dimension.REPUTATION,
    Dimension.ENVIRONMENT,
)
Consequences = tuple[tuple[Dimension, int], ...]


class Fate(StrEnum):
    """How far an analysis has come by today: what its plan makes of it."""

    ACTIVE = "active"  # approved some months ago
    REVIEW_DUE = "review_due"  # approved almost a year ago: its review date is near
    REVIEW_OVERDUE = "review_overdue"  # approved more than a year ago and not reviewed
    REVISED = "revised"  # approved, taken back for its review, rated anew and approved again
    IN_REVISION = "in_revision"  # approved a year ago, taken back for its review these last weeks
    SUBMITTED = "submitted"  # sent for approval, waiting for the leader above
    DRAFT = "draft"  # still being written
    ARCHIVED = "archived"  # approved, later archived as no longer in use
    ABANDONED = "abandoned"  # a project stopped before its analysis was approved


@dataclass(frozen=True)
class RiskText:
    title: str
    causes: tuple[str, ...]
    barriers: tuple[str, ...]
    probability: int
    consequences: Consequences
    target: tuple[int, int]  # (probability, consequence) after the measures
    measures: tuple[str, ...]


@dataclass(frozen=True)
class AnalysisText:
    title: str
    description: str
    kind: AssessmentKind
    fate: Fate
    units: tuple[str, ...]  # words in the name of the unit it is made for, tried in order; () or none: the kommune
    risks: tuple[RiskText, ...]
    scope_kind: ScopeKind = ScopeKind.UNIT
    scope_name: str | None = None
    review_months: int | None = None  # a review date set when it is started; else a year after approval


def risk(
    title: str,
    causes: tuple[str, ...],
    barriers: tuple[str, ...],
    probability: int,
    consequences: dict[Dimension, int],
    target: tuple[int, int],
    *measures: str,
) -> RiskText:
    return RiskText(title, causes, barriers, probability, tuple(consequences.items()), target, measures)


NURSING_HOME = ("Sjukeheimen – Avdeling", "Skedsmotun – Post", "Helsehuset – Korttid", "sjukeheim", "helsehus")
WARD = ("Omsorgssenteret – Langtid", "Skedsmotun – Korttid", "Helsehuset – Rehabilitering", "Korttid", "Langtid")
HOME_CARE = ("Heimetenesta – Sone", "Hjemmetjenesten – Sone", "Hjemmetjenester – Sone", "Heimetenest", "Hjemmetjenest")
SCHOOL = ("skule", "skole")
KITCHEN = ("Kjøkken", "sjukeheim", "Skedsmotun", "helsehus")
TECHNICAL = ("Vatn og avløp", "Vann og avløp", "Teknisk drift", "Eigedom", "Eiendom")
STAFF = ("Digitalisering", "Personal og organisasjon", "Økonomi")

ANALYSES: tuple[AnalysisText, ...] = (
    AnalysisText(
        title="Helhetlig ROS-analyse for kommunen",
        description="Kommunens helhetlige risiko- og sårbarhetsanalyse etter sivilbeskyttelsesloven § 14: uønskede "
        "hendelser som kan ramme hele kommunen, og hva kommunen gjør for å forebygge og håndtere dem. Grunnlag for "
        "beredskapsplanen og kommuneplanens samfunnsdel.",
        kind=AssessmentKind.OVERALL,
        fate=Fate.ACTIVE,
        units=(),
        review_months=48,
        risks=(
            risk("Langvarig bortfall av strøm", ("Uvær med trefall på linjenett", "Feil i regionalnettet"),
                 ("Aggregat på sykehjem og helsehus", "Avtale med nettselskapet"), 2,
                 {LIFE: 4, SERVICE: 4, ECONOMY: 3}, (2, 3),
                 "Kartlegge reservestrøm i alle bygg med heldøgns omsorg",
                 "Øve kriseledelsen på strømbrudd over flere døgn"),
            risk("Pandemi eller alvorlig smittsom sykdom", ("Nytt virus", "Lav vaksinasjonsdekning"),
                 ("Smittevernplan", "Smittevernlege"), 2, {LIFE: 4, SERVICE: 4, REPUTATION: 3}, (2, 3),
                 "Revidere smittevernplanen med erfaringer fra koronapandemien"),
            risk("Bortfall av drikkevann", ("Forurensning av kilde", "Ledningsbrudd"), ("Reservevannkilde",),
                 2, {LIFE: 4, SERVICE: 3}, (1, 4), "Sikre reservevann for sykehjem og skoler"),
            risk("Digitalt angrep som lammer kommunens systemer", ("Løsepengevirus via e-post", "Svake passord"),
                 ("Flerfaktorinnlogging", "Sikkerhetskopier"), 3, {SERVICE: 5, ECONOMY: 4, REPUTATION: 4}, (2, 4),
                 "Øve på gjenoppretting fra sikkerhetskopi", "Opplæring i phishing for alle ansatte"),
            risk("Ekstremnedbør og flom i sentrum", ("Mer intens nedbør", "For liten kapasitet i overvannsnettet"),
                 ("Flomveier i reguleringsplaner",), 3, {ENVIRONMENT: 3, ECONOMY: 4, SERVICE: 3}, (2, 3),
                 "Kartlegge flomveier og lavpunkter i sentrum"),
        ),
    ),
    AnalysisText(
        title="Fallrisiko for beboere – {enhet}",
        description="Risiko for fall hos beboerne: årsaker, barrierer og tiltak. Utløst av flere fall med skade "
        "det siste året.",
        kind=AssessmentKind.GOVERNANCE,
        fate=Fate.REVISED,
        units=NURSING_HOME,
        risks=(
            risk("Beboer faller ved forflytning uten hjelp", ("Nedsatt balanse", "Beboer venter ikke på hjelp"),
                 ("Fallrisikovurdering ved innkomst",), 4, {LIFE: 3, SERVICE: 2}, (2, 3),
                 "Sengealarm for beboere med høy fallrisiko", "Faste toalettrunder om natta"),
            risk("Fall om natta i mørkt rom", ("Dårlig nattbelysning", "Vandring ved demens"),
                 ("Nattevakt går runder",), 3, {LIFE: 4}, (2, 3), "Montere bevegelsesstyrt nattlys på alle rom"),
            risk("Brudd etter fall hos beboer med beinskjørhet", ("Osteoporose", "Blodfortynnende medisiner"),
                 ("Legemiddelgjennomgang",), 2, {LIFE: 4, REPUTATION: 2}, (2, 3),
                 "Hoftebeskyttere til beboere med høy risiko"),
            risk("Sklier på vått baderomsgulv", ("Glatte fliser", "Mangelfull tørking etter dusj"),
                 ("Sklisikre matter",), 3, {LIFE: 3}, (1, 3), "Legge sklisikkert belegg i dusjene"),
        ),
    ),
    AnalysisText(
        title="Legemiddelhåndtering – {enhet}",
        description="ROS for legemiddelhåndteringen fra bestilling til utdeling, etter forskrift om "
        "legemiddelhåndtering. Avvik om feil dose og manglende signatur ligger til grunn.",
        kind=AssessmentKind.GOVERNANCE,
        fate=Fate.REVIEW_OVERDUE,
        units=WARD,
        risks=(
            risk("Feil legemiddel eller dose gis til beboer", ("Travle vakter", "Like pakninger"),
                 ("Dobbeltkontroll ved utdeling",), 3, {LIFE: 4, REPUTATION: 3}, (2, 3),
                 "Innføre strekkodeskanning ved utdeling", "Opplæring i legemiddelhåndtering for vikarer"),
            risk("Legemiddel gis ikke til rett tid", ("Avbrytelser under utdeling", "Uklar oppgavefordeling"),
                 ("Signaturliste",), 3, {LIFE: 3, SERVICE: 2}, (2, 2), "Egen medisinansvarlig på hver vakt"),
            risk("Vanedannende legemidler kommer på avveie", ("Mangelfull telling", "Mange med nøkkel"),
                 ("Låst medisinrom",), 2, {LIFE: 3, REPUTATION: 4}, (1, 3),
                 "Ukentlig telling av A- og B-preparater med to signaturer"),
            risk("Utdatert legemiddelliste etter sykehusopphold", ("Epikrise kommer sent",),
                 ("Legemiddelsamstemming",), 3, {LIFE: 4}, (2, 3),
                 "Rutine for legemiddelsamstemming innen ett døgn etter innkomst"),
        ),
    ),
    AnalysisText(
        title="Informasjonssikkerhet i skolen – {enhet}",
        description="Risiko for at personopplysninger om elever kommer på avveie eller blir utilgjengelige: "
        "læringsplattform, nettbrett, skole-hjem-kommunikasjon og spesialpedagogiske rapporter.",
        kind=AssessmentKind.INFORMATION_SECURITY,
        fate=Fate.SUBMITTED,
        units=SCHOOL,
        risks=(
            risk("Sensitive opplysninger om elever sendt på vanlig e-post",
                 ("Uvitenhet om rutinen", "Tidspress"), ("Rutine for sikker sending",), 3,
                 {REPUTATION: 3, SERVICE: 2}, (2, 2), "Ta i bruk sikker digital post for sakkyndige vurderinger"),
            risk("Elev får tilgang til lærerens konto", ("Delt passord", "PC står ulåst i klasserommet"),
                 ("Automatisk skjermlås",), 3, {REPUTATION: 3}, (2, 2), "Flerfaktorinnlogging for alle ansatte"),
            risk("Ukjent app samler inn elevdata", ("Lærere tar i bruk apper selv",),
                 ("Godkjent appliste",), 4, {REPUTATION: 3, ECONOMY: 2}, (2, 2),
                 "Vurdere personvern før nye apper tas i bruk", "Rydde i appene på elevenes nettbrett"),
            risk("Bilder av elever publisert uten samtykke", ("Samtykke ikke sjekket",),
                 ("Samtykkeliste i fagsystemet",), 2, {REPUTATION: 3}, (1, 3)),
        ),
    ),
    AnalysisText(
        title="Innføring av digitalt tilsyn om natta",
        description="Prosjekt-ROS for innføring av velferdsteknologi (sensor og kamera med samtykke) i stedet for "
        "fysiske tilsyn om natta hos hjemmeboende.",
        kind=AssessmentKind.PROJECT,
        fate=Fate.ACTIVE,
        units=("Nattpatrulje", *HOME_CARE),
        scope_kind=ScopeKind.PROJECT,
        scope_name="Velferdsteknologi: digitalt tilsyn",
        risks=(
            risk("Alarm fra sensor blir ikke fanget opp", ("Ustabil mobildekning", "Feil i responssenteret"),
                 ("Testalarm ved oppstart",), 2, {LIFE: 4, SERVICE: 3}, (1, 4),
                 "Ukentlig test av alle sensorer", "Avtale om responstid med responssenteret"),
            risk("Bruker opplever kamera som krenkende", ("Samtykke ikke godt nok forklart",),
                 ("Skriftlig samtykke",), 3, {REPUTATION: 3, LIFE: 2}, (2, 2),
                 "Samtale med pårørende før oppstart"),
            risk("Prosjektet blir forsinket og dyrere", ("Leverandøren mangler kapasitet",),
                 ("Fast pris i kontrakten",), 3, {ECONOMY: 3, SERVICE: 2}, (2, 2)),
        ),
    ),
    AnalysisText(
        title="Flom, overvann og ekstremvær – {enhet}",
        description="Klimatilpasning: hva kraftig nedbør, stormflo og flom gjør med vann, avløp, veier og "
        "kommunale bygg, og hvordan kommunen er forberedt.",
        kind=AssessmentKind.OVERALL,
        fate=Fate.REVIEW_OVERDUE,
        units=TECHNICAL,
        scope_kind=ScopeKind.PLAN_GOAL,
        scope_name="Kommuneplanen: et samfunn rustet for klimaendringene",
        risks=(
            risk("Overvann oversvømmer kjeller i kommunale bygg", ("Tette sluk", "Underdimensjonerte rør"),
                 ("Tilsyn med sluk før høsten",), 4, {ECONOMY: 3, SERVICE: 2}, (2, 2),
                 "Tilbakeslagsventiler i utsatte bygg", "Rense sluk og stikkrenner hver høst"),
            risk("Kloakk i elv eller sjø ved overløp", ("Fellesledning for overvann og avløp",),
                 ("Overvåking av overløp",), 3, {ENVIRONMENT: 4, REPUTATION: 3}, (2, 3),
                 "Separere overvann og spillvann i utsatte områder"),
            risk("Vei stengt av flom eller ras", ("Kraftig nedbør på frossen mark",),
                 ("Beredskapsavtale med entreprenør",), 3, {SERVICE: 3, LIFE: 3}, (2, 3),
                 "Kartlegge hvem som mister tjenester når veien er stengt"),
            risk("Stormflo skader bygg ved sjøen", ("Havnivåstigning", "Sterk vind"),
                 ("Høydekrav i byggesaker",), 2, {ECONOMY: 4}, (2, 3)),
        ),
    ),
    AnalysisText(
        title="Kjøkkenhygiene og mattrygghet – {enhet}",
        description="Farer i produksjonskjøkkenet etter internkontrollforskriften for næringsmidler: smitte, "
        "allergener og temperatur fra mottak til servering.",
        kind=AssessmentKind.HSE,
        fate=Fate.ACTIVE,
        units=KITCHEN,
        risks=(
            risk("Beboer med allergi får mat med allergen", ("Oppskrift endret", "Ny leverandør"),
                 ("Allergenliste ved hver rett",), 2, {LIFE: 5, REPUTATION: 3}, (1, 5),
                 "Merke alle spesialkoster med navn og allergen"),
            risk("Matbåren smitte fra varmholdt mat", ("For lav temperatur ved varmholding",),
                 ("Temperaturlogg",), 3, {LIFE: 4, SERVICE: 2}, (2, 3),
                 "Digitale temperaturfølere i varmeskap", "Opplæring i HACCP for nyansatte"),
            risk("Kjøle- eller fryserom svikter over helg", ("Kompressorfeil",), ("Alarm til vaktmester",), 2,
                 {ECONOMY: 3, SERVICE: 3}, (1, 3), "Koble alarmen til vaktsentralen"),
            risk("Kuttskade eller brannskade på ansatt", ("Tidspress", "Sløve kniver"),
                 ("Verneutstyr", "Skarpe kniver og grytekluter"), 2, {LIFE: 2}, (2, 2)),
        ),
    ),
    AnalysisText(
        title="Kjøring i vinterføre – {enhet}",
        description="HMS-risiko for ansatte som kjører mellom brukerne i hjemmetjenesten: glatte veier, mørke, "
        "tidspress og biler som ikke er klare for vinteren.",
        kind=AssessmentKind.HSE,
        fate=Fate.REVIEW_DUE,
        units=HOME_CARE,
        risks=(
            risk("Trafikkulykke på glatt vei", ("Tidspress i kjørelista", "Sommerdekk for sent byttet"),
                 ("Piggdekk på alle tjenestebiler",), 3, {LIFE: 4, SERVICE: 3}, (2, 3),
                 "Kurs i glattkjøring for nyansatte", "Legge inn slakk i kjørelistene om vinteren"),
            risk("Ansatt faller på isete trapp hos bruker", ("Ikke strødd", "Mørkt"),
                 ("Brodder i bilene",), 4, {LIFE: 3}, (2, 2), "Avtale om strøing med brukere og pårørende"),
            risk("Besøk uteblir fordi bilen ikke starter", ("Kulde", "Gamle batterier"),
                 ("Motorvarmer på stasjonen",), 3, {SERVICE: 3, LIFE: 2}, (1, 3), "Bytte batteri før vinteren"),
        ),
    ),
    AnalysisText(
        title="Vold og trusler mot ansatte – {enhet}",
        description="HMS-risiko for vold og trusler i møte med brukere: alenearbeid, hjemmebesøk og "
        "situasjoner som eskalerer.",
        kind=AssessmentKind.HSE,
        fate=Fate.IN_REVISION,
        units=("Bu- og miljø", "Psykisk helse", "Legevakt"),
        risks=(
            risk("Ansatt blir slått eller truet ved hjemmebesøk", ("Alenearbeid", "Rus eller psykose hos bruker"),
                 ("Risikovurdering før besøk",), 3, {LIFE: 4, SERVICE: 2}, (2, 3),
                 "Personalarm til alle som går alene", "Kurs i konflikthåndtering"),
            risk("Trusler på telefon eller sosiale medier", ("Misnøye med vedtak",),
                 ("Rutine for anmeldelse",), 3, {LIFE: 2, REPUTATION: 2}, (2, 2)),
            risk("Ansatt blir sykmeldt etter alvorlig hendelse", ("Manglende oppfølging etterpå",),
                 ("Debrifing",), 2, {LIFE: 3, SERVICE: 3}, (2, 2), "Fast rutine for ivaretakelse etter hendelser"),
        ),
    ),
    AnalysisText(
        title="Turer og uteområde – {enhet}",
        description="Risiko for skader og for at barn kommer bort på tur og i uteområdet.",
        kind=AssessmentKind.HSE,
        fate=Fate.DRAFT,
        units=("barnehage",),
        risks=(
            risk("Barn kommer bort på tur", ("Mange barn per voksen", "Uoversiktlig terreng"),
                 ("Telling ved avreise og hjemkomst",), 2, {LIFE: 4, REPUTATION: 4}, (1, 4),
                 "Refleksvester med barnehagens telefonnummer"),
            risk("Barn skader seg i lekeapparat", ("Slitt underlag", "Løse deler"),
                 ("Årlig kontroll av lekeplassen",), 3, {LIFE: 3}, (2, 3), "Bytte fallunderlag under klatrestativet"),
            risk("Barn kommer seg ut av porten", ("Porten lukker seg ikke selv",), ("Ansvarlig voksen ute",), 3,
                 {LIFE: 4}, (1, 4)),
        ),
    ),
    AnalysisText(
        title="Fagsystem for helse og omsorg",
        description="ROS for fagsystemet med pasientjournal i pleie og omsorg: tilgang, logg, tilgjengelighet og "
        "nødrutiner når systemet er nede.",
        kind=AssessmentKind.INFORMATION_SECURITY,
        fate=Fate.SUBMITTED,
        units=STAFF,
        scope_kind=ScopeKind.INFORMATION_SYSTEM,
        scope_name="Pasientjournal i pleie og omsorg",
        risks=(
            risk("Ansatt snoker i journalen til en kjent", ("For vide tilganger",),
                 ("Logg over oppslag",), 3, {REPUTATION: 4, LIFE: 2}, (2, 3),
                 "Månedlig stikkprøve av oppslagsloggen", "Stramme inn tilgangene etter rolle"),
            risk("Systemet er nede under vaktskiftet", ("Feil hos leverandøren", "Nettverksbrudd"),
                 ("Papirbasert nødrutine",), 2, {SERVICE: 4, LIFE: 3}, (2, 3),
                 "Skrive ut nødrapport hver kveld"),
            risk("Sluttede ansatte har fortsatt tilgang", ("Melding fra HR kommer ikke fram",),
                 ("Kvartalsvis gjennomgang",), 3, {REPUTATION: 3}, (1, 3),
                 "Stenge tilgang automatisk når arbeidsforholdet slutter"),
        ),
    ),
    AnalysisText(
        title="Smittevern under koronapandemien – {enhet}",
        description="ROS for drift under pandemien: smitte blant beboere og ansatte, bemanning og besøk.",
        kind=AssessmentKind.GOVERNANCE,
        fate=Fate.ARCHIVED,
        units=NURSING_HOME,
        risks=(
            risk("Smitteutbrudd blant beboerne", ("Smitte fra ansatte eller besøkende",),
                 ("Testing ved symptomer", "Kohortisolering"), 3, {LIFE: 5, SERVICE: 3}, (2, 4),
                 "Øve på bruk av smittevernutstyr"),
            risk("For få ansatte på jobb ved utbrudd", ("Karantene", "Sykdom"), ("Vikarpool",), 3,
                 {SERVICE: 4, LIFE: 3}, (2, 3), "Avtale om innleie fra andre enheter"),
        ),
    ),
    AnalysisText(
        title="Ny løsning for sak og arkiv",
        description="Prosjekt-ROS for overgangen til en skybasert sak- og arkivløsning.",
        kind=AssessmentKind.PROJECT,
        fate=Fate.ABANDONED,
        units=STAFF,
        scope_kind=ScopeKind.PROJECT,
        scope_name="Skybasert sak og arkiv",
        risks=(
            risk("Dokumenter går tapt i konverteringen", ("Dårlig datakvalitet i gammelt system",),
                 ("Prøvekonvertering",), 3, {SERVICE: 3, REPUTATION: 3}, (2, 2),
                 "Kontrollere et utvalg etter konverteringen"),
            risk("Data lagres utenfor EU/EØS", ("Leverandørens underleverandører",),
                 ("Databehandleravtale",), 2, {REPUTATION: 4, ECONOMY: 3}, (1, 4)),
        ),
    ),
    AnalysisText(
        title="Bemanning og kompetanse – {enhet}",
        description="Risiko for at tjenesten ikke har nok sykepleiere og fagarbeidere, særlig i ferier og helger.",
        kind=AssessmentKind.GOVERNANCE,
        fate=Fate.DRAFT,
        units=("Sjukeheimen – Skjerma", "Omsorgssenteret", "Skedsmotun", "Helsehuset – Rehabilitering", *NURSING_HOME),
        risks=(
            risk("Vakter uten sykepleier i sommerferien", ("Få søkere", "Høy turnover"),
                 ("Ferieplan vedtas i mars",), 4, {LIFE: 3, SERVICE: 4}, (3, 3),
                 "Sommerbonus for sykepleiere", "Tidlig rekruttering av sommervikarer"),
            risk("Ufaglærte vikarer uten opplæring", ("Innleie på kort varsel",),
                 ("Sjekkliste for vikarer",), 4, {LIFE: 3, SERVICE: 2}, (2, 3)),
            risk("Høyt sykefravær over tid", ("Tunge løft", "Mange helgevakter"), ("Oppfølging av sykmeldte",), 3,
                 {SERVICE: 3, ECONOMY: 3}, (2, 3), "Forsøk med lengre vakter i helgene"),
        ),
    ),
)  # fmt: skip
"""In the order they are planned; every kommune gets each of them, at the unit whose name fits best."""

REVISION_NOTE = "Revidert etter årlig gjennomgang: tiltakene er gjennomført og risikoen vurdert på nytt."
