"""What the demo history's cases say: what happens in a nursing home, home care, a school, a kindergarten, a
health service, a kitchen, technical services and an office, written the way employees and leaders write it.

``{rom}`` in a text becomes a room number, so two falls in the same nursing home are not word for word alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from varde_deviations.domain import HMS_AREA, INFORMATION_SECURITY_AREA, PATIENT_SAFETY_AREA, DeviationKind

A, U, N, F = DeviationKind.DEVIATION, DeviationKind.ADVERSE_EVENT, DeviationKind.NEAR_MISS, DeviationKind.IMPROVEMENT
HMS, PAS, INFO, QUAL, ENV = HMS_AREA, PATIENT_SAFETY_AREA, INFORMATION_SECURITY_AREA, "tjenestekvalitet", "miljo"
WINTER, SUMMER, AUTUMN = (11, 12, 1, 2, 3), (6, 7, 8), (9, 10, 11)


@dataclass(frozen=True)
class MeasureText:
    description: str
    check: str | None
    result: str


@dataclass(frozen=True)
class CaseText:
    """One kind of event in one kind of workplace, with how it is usually followed up."""

    setting: str  # a key of SETTINGS, or "alle"
    kind: DeviationKind
    area: str
    category: str | None  # a category name of the default catalogue
    title: str
    description: str
    immediate_action: str | None
    actual: tuple[int, int]
    potential: tuple[int, int]
    measures: tuple[MeasureText, ...]
    conclusion: str
    persons: str | None = None
    location: str | None = None
    breach: bool = False
    months: tuple[int, ...] = ()  # when it happens more often
    season_only: bool = False  # it happens only in those months (ice, summer heat)
    weight: int = 2
    forward_to: tuple[str, ...] = ()  # words in the name of the unit that owns the problem


# Workplaces by words in a unit's name, tried in this order; how much each reports (care reports the most).
SETTINGS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("kjokken", ("Kjøkken",), 1.0),
    ("hjemmetjeneste", ("Heimetenest", "Hjemmetjenest", "Sone ", "Nattpatrulje"), 3.0),
    ("barnehage", ("barnehage",), 1.5),
    ("skole", ("skule", "skole", "trinn", "SFO"), 2.0),
    ("helse", ("Lege", "Helsestasjon", "Fysio", "Psykisk", "Bu- og", "Oppfølging", "Helse og familie"), 2.0),
    ("teknisk", ("Teknisk", "Vatn", "Vann", "Veg", "Eigedom", "Eiendom", "Reinhald"), 1.0),
    ("sykehjem", ("sjukeheim", "omsorgssenter", "helsehus", "Skedsmotun", "Korttid", "Langtid", "Post ", "Avdeling ",
                  "Skjerma", "Rehabilitering", "Dagsenter"), 4.0),
)  # fmt: skip
OFFICE = ("kontor", 0.8)
PROPERTY = ("Eigedom", "Eiendom")
IT = ("Digitalisering", "IT")


@dataclass(frozen=True)
class Phrases:
    """What leaders write on any case, whatever happened: drawn by position, so each målform has as many."""

    acknowledge: tuple[str | None, ...]
    reject: tuple[str, ...]
    reopen: MeasureText
    reopen_reason: str
    reopen_conclusion: str
    escalate: str
    forward: str


PHRASES = Phrases(
    acknowledge=(
        None,
        "Tatt til behandling. Jeg snakker med de involverte i dag.",
        "Takk for meldingen. Følges opp på personalmøtet.",
        "Tatt til behandling; ser på rutinen vår.",
        None,
    ),
    reject=(
        "Meldt to ganger; følges opp i den første meldingen.",
        "Gjelder ikke vår enhet og er ikke et avvik; tatt opp direkte med leverandøren.",
        "Forholdet er allerede rettet og meldt som del av en annen sak.",
    ),
    reopen=MeasureText(
        "Ny gjennomgang av rutinen med alle ansatte på avdelingsmøtet",
        "Følge med på nye meldinger om det samme de neste to månedene",
        "Ingen nye hendelser etter gjennomgangen.",
    ),
    reopen_reason="Det samme skjedde igjen etter at saken ble lukket.",
    reopen_conclusion="Rutinen er gjennomgått på nytt med alle ansatte, og det har ikke skjedd igjen.",
    escalate="Alvorlig hendelse: løftes til lederen over for oppfølging og læring på tvers.",
    forward="Sendt videre til dem som eier problemet.",
)

CASES: tuple[CaseText, ...] = (
    # ---- nursing home ---------------------------------------------------------------------------------------
    CaseText("sykehjem", U, PAS, "Fall", "Fall på badet",
             "Beboer ble funnet sittende på gulvet på badet ved morgenstell. Hadde prøvd å gå på toalettet uten å "
             "ringe på. Klager over smerter i venstre hofte.",
             "Sykepleier undersøkte beboeren, tilsynslege ble kontaktet. Observert gjennom vakten.", (2, 3), (3, 4),
             (MeasureText("Ny fallrisikovurdering og sensormatte ved sengen", "Gå gjennom fallregistreringene etter "
                          "fire uker", "Ingen nye fall på fire uker; sensormatten varsler som den skal."),),
             "Fallet skjedde da beboeren gikk alene om natten. Sensormatte og oppdatert tiltaksplan har virket.",
             persons="Beboer på rom {rom}; datteren er varslet", location="Badet på rom {rom}", weight=5),
    CaseText("sykehjem", U, PAS, "Fall", "Beboer falt fra stol i dagligstua",
             "Beboer skled ut av stolen under middagen og ble liggende på gulvet. Fikk et kutt i pannen.",
             "Såret renset og plastret, blodtrykk og puls målt. Tilsynslege orientert.", (2, 2), (3, 4),
             (MeasureText("Stol med armlener og sete som heller bakover for beboeren", None,
                          "Beboeren sitter trygt i den nye stolen."),
              MeasureText("Fast plassering nær personalet under måltider", None, "Innført og fulgt.")),
             "Riktig stol og plass ved bordet har hindret nye fall.",
             persons="Beboer på rom {rom}", location="Dagligstua", months=WINTER),
    CaseText("sykehjem", A, PAS, "Legemidler", "Kveldsmedisin ikke gitt",
             "Kveldsmedisinen til en beboer ble ikke gitt kl. 20. Oppdaget av nattevakten ved kontroll kl. 23.",
             "Lege kontaktet; dosen ble gitt etter avtale med lege.", (1, 2), (3, 4),
             (MeasureText("Signering i kurven rett etter hver utdeling på kveldsvakt", "Stikkprøver av "
                          "signaturlistene i fire uker", "Stikkprøvene viste full signering."),),
             "Medisinen ble glemt i en travel overlapping. Signering ved utdeling er innført og følges.",
             persons="Beboer på rom {rom}", location="Medisinrommet", weight=4),
    CaseText("sykehjem", U, PAS, "Legemidler", "Beboer fikk dosetten til en annen beboer",
             "Beboer fikk morgenmedisinene til beboeren på naborommet. Oppdaget da tablettene ble talt opp.",
             "Lege kontaktet; beboeren observert med blodtrykk hver time gjennom dagen.", (2, 3), (4, 5),
             (MeasureText("Navn og bilde på alle dosetter", None, "Alle dosetter er merket med navn og bilde."),
              MeasureText("Legemiddelhåndtering tas opp på personalmøtet", "Legemiddelgjennomgang om tre måneder",
                          "Gjennomgangen fant ingen nye forvekslinger.")),
             "Forvekslingen skyldtes like dosetter på to rom ved siden av hverandre. Merking med bilde har virket.",
             persons="To beboere på avdelingen (rom {rom} og rommet ved siden av)", weight=2),
    CaseText("sykehjem", N, PAS, "Legemidler", "Insulinpenn lå framme umerket",
             "En ferdig stilt insulinpenn lå framme på medisintralla uten navn. Oppdaget før noe ble gitt.",
             "Pennen ble kastet og ny dose satt opp av sykepleier.", (1, 1), (4, 4),
             (MeasureText("Insulin stilles opp bare rett før det gis, og aldri uten navn", None,
                          "Rutinen er kjent og fulgt."),),
             "Rutinen for insulin er tydeliggjort for alle på vakt.", location="Medisintralla"),
    CaseText("sykehjem", A, PAS, "Trykksår", "Trykksår oppdaget ved stell",
             "Beboer har fått et trykksår grad 2 på hælen. Snuing var ikke dokumentert siste døgn.",
             "Avlastning av hælen, sårstell etter prosedyre og sykepleier varslet.", (2, 3), (3, 4),
             (MeasureText("Snuskjema på rommet og snuing hver tredje time", "Sårstatus etter to uker",
                          "Såret gror, og snuskjemaet fylles ut hver vakt."),),
             "Snuing var ikke fulgt opp i helgen. Snuskjema på rommet har gjort det synlig for alle.",
             persons="Beboer på rom {rom}"),
    CaseText("sykehjem", U, PAS, "Forsvinning", "Beboer gikk ut av skjermet avdeling",
             "Beboer med demens fulgte etter besøkende ut døra og ble funnet ved busstoppet etter 20 minutter.",
             "Beboeren ble fulgt tilbake, undersøkt og fikk varmt drikke. Pårørende varslet.", (1, 2), (4, 5),
             (MeasureText("Kodelås på ytterdøra og skilt til besøkende om å lukke etter seg", None,
                          "Kodelåsen er montert og i bruk."),),
             "Døra ble stående åpen etter besøkende. Kodelås og informasjon til besøkende har virket.",
             persons="Beboer på rom {rom}", location="Hovedinngangen", forward_to=PROPERTY),
    CaseText("sykehjem", A, QUAL, "Bemanning", "Kveldsvakt med for lav bemanning",
             "To sykmeldte på kveldsvakt og ingen vikar å få. Flere beboere fikk ikke kveldsstell til vanlig tid.",
             "Leder i beredskap kontaktet; oppgavene ble prioritert.", (2, 2), (3, 3),
             (MeasureText("Egen vikarliste for kveld og helg", "Telle vakter uten vikar neste kvartal",
                          "Ingen vakter uten vikar siste kvartal."),),
             "Vikarlisten gir nok folk også ved sykdom på kort varsel.", months=SUMMER + WINTER, weight=3),
    CaseText("sykehjem", U, HMS, "Vold og trusler", "Ansatt slått under stell",
             "Beboer ble urolig under morgenstellet og slo en ansatt i ansiktet. Rødt merke, ingen varig skade.",
             "Stellet ble avbrutt og gjenopptatt senere med to ansatte. Den ansatte fikk samtale med leder.",
             (2, 2), (3, 4),
             (MeasureText("Stell av beboeren gjøres av to ansatte, med fast tiltaksplan ved uro", None,
                          "Ingen nye episoder etter at planen ble innført."),
              MeasureText("Opplæring i forebygging av vold og trusler for avdelingen", None,
                          "Alle fast ansatte har fått opplæringen.")),
             "Uroen kom ved stell om morgenen. To ansatte og en fast plan har gjort stellet roligere.",
             persons="Beboer på rom {rom} og en ansatt på dagvakt", weight=3),
    CaseText("sykehjem", U, HMS, "Personskade", "Ryggskade ved forflytning",
             "Ansatt fikk vondt i ryggen da en beboer ble flyttet fra seng til rullestol uten personløfter; "
             "løfteren var i bruk på et annet rom.",
             "Den ansatte ble sendt hjem og fikk time hos bedriftshelsetjenesten.", (2, 3), (3, 3),
             (MeasureText("En personløfter til på avdelingen", None, "Den nye løfteren er levert og i bruk."),),
             "Én personløfter var for lite til avdelingen. Med to har det ikke vært manuelle løft."),
    CaseText("sykehjem", U, HMS, "Smitte", "Omgangssyke på avdelingen",
             "Fem beboere og to ansatte har fått oppkast og diaré i løpet av to døgn.",
             "Isolering på rommene, kohortpleie og smittevernlege varslet.", (2, 3), (3, 4),
             (MeasureText("Ekstra renhold av kontaktpunkter og besøksbegrensning til utbruddet er over", None,
                          "Utbruddet var over etter ni dager."),),
             "Utbruddet ble begrenset til én avdeling. Smittevernrutinen virket.", months=WINTER, weight=2),
    CaseText("sykehjem", A, INFO, "Brudd på taushetsplikt", "Journal åpnet uten tjenstlig behov",
             "Kontroll av journalloggen viser at en ansatt har åpnet journalen til en beboer på en annen avdeling "
             "uten å ha hatt noe med pleien å gjøre.",
             "Tilgangen ble gjennomgått, og den ansatte er kalt inn til samtale.", (2, 2), (3, 3),
             (MeasureText("Samtale med den ansatte og ny signering av taushetserklæring", None,
                          "Samtale gjennomført og erklæringen signert."),
              MeasureText("Månedlig stikkprøvekontroll av journaloppslag", "Resultatet av de tre neste "
                          "kontrollene", "Kontrollene har ikke funnet nye oppslag uten tjenstlig behov.")),
             "Oppslaget var nysgjerrighet, ikke tjenstlig behov. Fulgt opp med den ansatte; stikkprøvene "
             "fortsetter.",
             persons="En ansatt på en annen avdeling; beboer på rom {rom}", breach=True),
    CaseText("sykehjem", N, PAS, "Fall", "Sengehest nede hos beboer med høy fallrisiko",
             "Sengehesten var ikke slått opp etter kveldsstell hos en beboer med vedtak om sengehest.",
             "Sengehesten ble slått opp av nattevakten.", (1, 1), (3, 4), (),
             "Tatt opp med kveldsvaktene; sjekkpunktet står nå i kveldsrapporten.", persons="Beboer på rom {rom}"),
    CaseText("sykehjem", F, QUAL, "Samhandling", "Forslag: faste tider for pårørendesamtaler",
             "Pårørende ringer ofte i stellet om morgenen. Faste telefontider ville gitt bedre samtaler og mer ro.",
             None, (1, 1), (1, 1),
             (MeasureText("Faste telefontider for pårørende kl. 13–14, på nettsiden og ved inngangen", None,
                          "Pårørende bruker telefontiden, og morgenstellet blir sjeldnere avbrutt."),),
             "Forslaget er innført. Takk for et godt forslag!"),
    CaseText("sykehjem", F, QUAL, "Rutinebrudd", "Forslag: sjekkliste ved innkomst på korttid",
             "Ved innkomst glemmes det ofte å spørre om hjelpemidler og faste medisiner. En enkel sjekkliste ville "
             "hjulpet nyansatte og vikarer.", None, (1, 1), (2, 2),
             (MeasureText("Sjekkliste for innkomst lages og legges i innkomstmappa", None,
                          "Sjekklisten er tatt i bruk."),),
             "Sjekklisten er tatt i bruk på korttid.", weight=1),
    CaseText("sykehjem", A, QUAL, "Dokumentasjon", "Mangelfull rapport ved vaktskifte",
             "Det ble ikke gitt beskjed ved vaktskiftet om at en beboer hadde hatt feber om natten.",
             "Dagvakten målte temperatur og kontaktet sykepleier.", (1, 2), (3, 3), (),
             "Rapportrutinen er tatt opp med alle; viktige observasjoner skrives i journalen før vaktskiftet.",
             persons="Beboer på rom {rom}"),
    # ---- home care ------------------------------------------------------------------------------------------
    CaseText("hjemmetjeneste", A, QUAL, "Rutinebrudd", "Bruker fikk ikke besøk til avtalt tid",
             "Morgenbesøket hos en bruker falt ut da kjørelista ble endret. Brukeren fikk medisinene tre timer "
             "for sent.", "Besøket ble gjort så snart det ble oppdaget, og brukeren fikk medisinene.", (2, 2),
             (3, 4),
             (MeasureText("Endringer i kjørelista kontrolleres av to før de lagres", "Telle besøk som faller ut "
                          "de neste to månedene", "Ingen besøk har falt ut etter endringen."),),
             "Besøket falt ut ved en endring i kjørelista. Dobbeltkontroll av endringer har virket.",
             persons="Bruker i sone {rom}", weight=4),
    CaseText("hjemmetjeneste", U, PAS, "Legemidler", "Multidose ikke tatt",
             "Ved kveldsbesøket lå morgenposen fra multidosen urørt på kjøkkenbenken.",
             "Sykepleier ringte fastlegen; brukeren tok medisinene etter avtale.", (1, 2), (3, 3),
             (MeasureText("Medisiner gis og observeres tatt ved morgenbesøket, ikke bare settes fram", None,
                          "Alle på vakt gjør det nå."),),
             "Brukeren glemmer medisinene når de bare settes fram. Observert inntak er innført.",
             persons="Bruker i sone {rom}", weight=3),
    CaseText("hjemmetjeneste", U, PAS, "Fall", "Bruker funnet på gulvet ved morgenbesøk",
             "Brukeren lå på stuegulvet da vi kom, og hadde trolig ligget der siden natten. Trygghetsalarmen lå "
             "på nattbordet.", "Ambulanse tilkalt; brukeren ble innlagt til observasjon.", (3, 4), (4, 5),
             (MeasureText("Trygghetsalarm med fallsensor", None, "Fallsensoren er montert og testet."),
              MeasureText("Tverrfaglig møte om behovet for økt tilsyn", None, "Brukeren har fått nattbesøk.")),
             "Brukeren hadde ikke alarmen på seg. Fallsensor og nattbesøk gir tryggere hjem.",
             persons="Bruker i sone {rom}; sønnen er varslet", months=WINTER, weight=2),
    CaseText("hjemmetjeneste", U, HMS, "Personskade", "Ansatt falt på glatt innkjørsel",
             "Ansatt skled på isen i innkjørselen til en bruker og slo albuen.",
             "Albuen ble undersøkt på legevakta; ingen brudd.", (2, 2), (3, 3),
             (MeasureText("Brodder til alle i tjenesten og strøsand i bilene", None, "Utdelt og i bruk."),),
             "Brodder og strøsand er nå fast utstyr om vinteren.", location="Innkjørselen hos en bruker",
             months=(12, 1, 2), weight=3, season_only=True),
    CaseText("hjemmetjeneste", U, HMS, "Vold og trusler", "Truende pårørende",
             "Sønnen til en bruker kjeftet og truet ansatt da besøket kom sent. Den ansatte følte seg utrygg.",
             "Den ansatte forlot boligen og ringte leder.", (1, 2), (3, 4),
             (MeasureText("To ansatte på besøk hos brukeren til videre", None, "Innført; ingen nye episoder."),
              MeasureText("Samtale med pårørende om hvordan tjenesten er organisert", None,
                          "Samtalen er gjennomført.")),
             "Besøkene gjøres nå av to ansatte, og samtalen med pårørende har roet situasjonen.",
             persons="Bruker og sønnen; ansatt på dagvakt"),
    CaseText("hjemmetjeneste", A, INFO, "Tap av utstyr", "Tjenestetelefon med journal mistet",
             "Tjenestetelefonen med tilgang til journalen ble mistet på en tur mellom to brukere.",
             "Telefonen ble sperret og slettet via mobilhåndteringen samme kveld.", (1, 1), (3, 4),
             (MeasureText("Kortere tid før skjermlås på tjenestetelefonene", None, "Endret på alle telefoner."),),
             "Telefonen ble fjernslettet før noen kunne bruke den; personvernombudet har vurdert saken.",
             breach=True, weight=1),
    CaseText("hjemmetjeneste", N, QUAL, "Rutinebrudd", "Nøkkelboks stod åpen",
             "Nøkkelboksen hos en bruker stod åpen med nøkkelen i da kveldsvakten kom.",
             "Nøkkelboksen ble låst og koden byttet.", (1, 1), (3, 3), (),
             "Alle er minnet på å kontrollere at nøkkelboksen er låst før de går."),
    # ---- school ---------------------------------------------------------------------------------------------
    CaseText("skole", U, HMS, "Personskade", "Elev skadet i friminuttet",
             "Elev falt fra klatrestativet og slo hodet i bakken. Var kort uklar.",
             "Foresatte ringt og eleven hentet til legevakta.", (2, 3), (3, 4),
             (MeasureText("Mer fallunderlag under klatrestativet", None, "Nytt underlag er lagt."),),
             "Underlaget var for tynt. Nytt fallunderlag er lagt, og inspeksjonen står ved stativet.",
             persons="Elev på 4. trinn", location="Skolegården", forward_to=PROPERTY, months=(4, 5, 9, 10),
             weight=3),
    CaseText("skole", U, HMS, "Vold og trusler", "Elev slo lærer",
             "Elev sparket og slo en lærer under en konflikt i garderoben.",
             "Eleven ble roet ned og hentet av foresatte. Læreren fikk oppfølging av leder.", (2, 2), (3, 3),
             (MeasureText("Tiltaksplan for eleven sammen med foresatte og PPT", None, "Planen er på plass."),
              MeasureText("Samtale og oppfølging for læreren", None, "Gjennomført.")),
             "Tiltaksplanen er fulgt, og det har ikke skjedd igjen.", persons="Elev på 6. trinn og en lærer",
             weight=3),
    CaseText("skole", A, INFO, "Feilsendt informasjon", "Opplysninger om elev sendt til feil foresatt",
             "En melding om spesialundervisning for en elev ble sendt til foresatte til en annen elev.",
             "Mottakeren ble kontaktet og slettet meldingen. Personvernombudet varslet.", (2, 2), (3, 3),
             (MeasureText("Meldinger med personopplysninger kontrolleres av to før de sendes", None,
                          "Rutinen følges."),),
             "Feil mottaker ble valgt fra nedtrekkslista. Meldingen er slettet, og rutinen er strammet inn.",
             persons="Elev på 7. trinn og foresatte til en annen elev", breach=True),
    CaseText("skole", U, PAS, "Forsvinning", "Elev forlot SFO uten beskjed",
             "En elev gikk hjem fra SFO uten å si fra. Savnet ble oppdaget ved opprop 30 minutter senere.",
             "Foresatte ringt; eleven var kommet hjem.", (1, 1), (4, 4),
             (MeasureText("Opprop hver halvtime ved utetid", None, "Innført."),),
             "Oppropet er innført, og alle barn er registrert ved henting.", persons="Elev på 2. trinn"),
    CaseText("skole", N, HMS, "Brann og el-sikkerhet", "Brannøvelse: ikke alle elever registrert ute",
             "Ved brannøvelsen manglet det navnelister for to klasser på oppstillingsplassen.",
             None, (1, 1), (4, 4), (MeasureText("Navnelister i beredskapsmappen i hvert klasserom", None,
                                                "Mappene er på plass."),),
             "Navnelistene ligger nå i hver beredskapsmappe.", months=(9, 10)),
    CaseText("skole", F, QUAL, "Rutinebrudd", "Forslag: digital sjekkliste for turer",
             "Foreslår en felles digital sjekkliste før turer (førstehjelp, telefonliste, allergier).", None,
             (1, 1), (1, 1), (MeasureText("Sjekklisten lages og legges i skolens rutiner", None,
                                          "Tatt i bruk fra høsten."),),
             "Sjekklisten er tatt i bruk.", months=(5, 6, 8), weight=1),
    # ---- kindergarten ---------------------------------------------------------------------------------------
    CaseText("barnehage", N, PAS, "Feil behandling", "Barn med nøtteallergi fikk servert nøtter",
             "Et barn med nøtteallergi fikk servert brød med nøtter. En ansatt oppdaget det før barnet spiste.",
             "Maten ble byttet; ingen reaksjon.", (1, 1), (5, 5),
             (MeasureText("Allergiliste med bilde på kjøkkenet og på hver avdeling", None,
                          "Listene henger oppe og oppdateres."),),
             "Allergilisten var ikke oppdatert etter at vikaren begynte. Den henger nå synlig på alle avdelinger.",
             persons="Barn på avdeling {rom}", weight=3),
    CaseText("barnehage", U, PAS, "Forsvinning", "Barn gikk ut porten under utetid",
             "Et barn kom seg ut porten som ikke var lukket, og ble funnet utenfor gjerdet etter få minutter.",
             "Barnet ble hentet inn; foresatte orientert.", (1, 1), (5, 5),
             (MeasureText("Ny lås på porten som lukker seg selv", None, "Låsen er montert."),),
             "Porten lukket seg ikke selv. Ny lås er montert.", persons="Barn på 3 år",
             location="Porten mot parkeringsplassen", forward_to=PROPERTY, weight=2),
    CaseText("barnehage", U, HMS, "Arbeidsmiljø", "Vondt i ryggen ved stellebordet",
             "Flere ansatte har vondt i ryggen; stellebordet kan ikke heves og senkes.", None, (2, 2), (3, 3),
             (MeasureText("Nytt stellebord som kan heves og senkes", None, "Levert og montert."),),
             "Det nye stellebordet er i bruk, og ingen har meldt nye plager."),
    CaseText("barnehage", A, HMS, "Brann og el-sikkerhet", "Rømningsvei sperret av vogner",
             "Barnevogner sto i rømningsveien ved garderoben ved branninspeksjonen.", "Vognene ble flyttet.",
             (1, 1), (4, 4), (MeasureText("Egen merket plass for vogner utenfor", None, "Merket og i bruk."),),
             "Vognene har fått egen plass, og rømningsveien holdes fri."),
    # ---- health services ------------------------------------------------------------------------------------
    CaseText("helse", A, INFO, "Feilsendt informasjon", "Prøvesvar lagt i feil journal",
             "Et prøvesvar ble skannet inn i journalen til en annen pasient med samme etternavn.",
             "Dokumentet ble flyttet til riktig journal; begge pasientene er informert.", (2, 2), (4, 4),
             (MeasureText("Fødselsdato kontrolleres ved hver innskanning", None, "Rutinen følges."),),
             "Forvekslingen skyldtes samme etternavn. Kontroll av fødselsdato ved innskanning er innført.",
             persons="To pasienter med samme etternavn", breach=True),
    CaseText("helse", A, PAS, "Legemidler", "Vaksiner oppbevart for varmt",
             "Temperaturloggen viste 12 °C i vaksinekjøleskapet over helgen.",
             "Vaksinene ble satt i karantene, og leverandøren vurderte dem.", (1, 1), (3, 3),
             (MeasureText("Alarm på kjøleskapet som varsler på telefon", None, "Alarmen er montert og testet."),),
             "Kjøleskapet var defekt. Det er byttet, og alarmen varsler nå ved avvik.", months=SUMMER),
    CaseText("helse", U, HMS, "Vold og trusler", "Pasient truet ansatt i skranken",
             "En pasient ble sint over ventetiden og truet ansatt i skranken.",
             "Vekter tilkalt; pasienten forlot lokalet.", (1, 2), (4, 4),
             (MeasureText("Alarmknapp i skranken og øvelse i bruken", None, "Montert, og øvelsen er holdt."),),
             "Alarmknappen er på plass, og alle har øvd på bruken.", persons="En ansatt i skranken"),
    CaseText("helse", N, PAS, "Feil behandling", "Nesten feil pasient til blodprøve",
             "To pasienter med samme fornavn satt på venterommet; feil pasient ble ropt inn.",
             "Oppdaget ved kontroll av fødselsdato før prøven ble tatt.", (1, 1), (3, 3), (),
             "Kontroll av fødselsdato virket. Tatt opp som et godt eksempel på personalmøtet."),
    # ---- kitchen --------------------------------------------------------------------------------------------
    CaseText("kjokken", A, QUAL, "Rutinebrudd", "Kjølerommet over 8 grader",
             "Temperaturloggen viste 9 °C i kjølerommet natt til mandag.",
             "Maten ble vurdert; noe ble kastet.", (1, 1), (3, 3),
             (MeasureText("Service på kjøleaggregatet", None, "Aggregatet er reparert."),),
             "Aggregatet var defekt og er reparert; temperaturen er stabil.", months=SUMMER,
             forward_to=PROPERTY),
    CaseText("kjokken", U, HMS, "Personskade", "Brannskade fra stekeovnen",
             "Ansatt brente underarmen på ovnsplaten da fisken ble tatt ut.", "Kjølt med vann i 20 minutter.",
             (1, 2), (2, 2), (MeasureText("Lange ovnsvotter til alle", None, "Kjøpt inn og i bruk."),),
             "Lange votter er tatt i bruk."),
    # ---- technical services ---------------------------------------------------------------------------------
    CaseText("teknisk", N, HMS, "Personskade", "Arbeid i grøft uten sikring",
             "Det ble arbeidet i en grøft dypere enn to meter uten avstiving.",
             "Arbeidet ble stanset til grøfta var sikret.", (1, 1), (5, 5),
             (MeasureText("Sikker jobbanalyse før alt grøftearbeid", None, "Innført."),),
             "Sikker jobbanalyse gjøres nå før hvert grøftearbeid.", months=(4, 5, 6, 8, 9)),
    CaseText("teknisk", U, ENV, "Utslipp", "Oljesøl fra anleggsmaskin",
             "En hydraulikkslange sprakk, og omtrent 20 liter olje rant ut på grusen.",
             "Absorbent lagt ut, og forurenset masse ble gravd opp.", (2, 2), (3, 3),
             (MeasureText("Ettersyn av hydraulikkslanger ved hver service", None, "Lagt inn i sjekklisten."),),
             "Massene er levert til godkjent mottak, og slangene sjekkes ved hver service."),
    CaseText("teknisk", A, HMS, "Arbeidsmiljø", "Kjemikalier uten sikkerhetsdatablad",
             "Flere kjemikalier i verkstedet mangler sikkerhetsdatablad i stoffkartoteket.", None, (1, 1), (3, 3),
             (MeasureText("Stoffkartoteket oppdateres", None, "Alle produkter har nå datablad."),),
             "Stoffkartoteket er oppdatert."),
    # ---- office and IT --------------------------------------------------------------------------------------
    CaseText("kontor", A, INFO, "Feilsendt informasjon", "E-post med personopplysninger til feil mottaker",
             "En e-post med en søknad og vedlegg ble sendt til en person med nesten samme navn.",
             "Mottakeren bekreftet at e-posten er slettet. Personvernombudet varslet.", (2, 2), (3, 3),
             (MeasureText("Slå av autofullfør av adresser i e-postprogrammet", None, "Slått av for alle."),),
             "Autofullføring valgte feil mottaker. Funksjonen er slått av.", breach=True, forward_to=IT),
    CaseText("alle", A, INFO, "Datainnbrudd", "Ansatt oppga passordet sitt i en phishing-e-post",
             "En ansatt klikket på en lenke i en falsk e-post og skrev inn brukernavn og passord.",
             "Passordet ble byttet og kontoen sjekket for innlogginger.", (1, 2), (4, 4),
             (MeasureText("Tofaktor på e-post for alle ansatte", None, "Innført for alle."),
              MeasureText("Kurs i å kjenne igjen phishing", None, "Alle har tatt kurset.")),
             "Ingen uvedkommende rakk å logge inn. Tofaktor og kurs er på plass.", breach=True, forward_to=IT,
             weight=1),
    CaseText("alle", A, INFO, "Tilgangsstyring", "Ansatt som har sluttet har fortsatt tilgang",
             "En vikar som sluttet for to måneder siden kan fortsatt logge inn i fagsystemet.",
             "Tilgangen ble stengt samme dag.", (1, 1), (3, 3),
             (MeasureText("Tilganger stenges automatisk når arbeidsforholdet avsluttes i HR-systemet", None,
                          "Automatikken er på plass."),),
             "Tilgangen er stengt, og stengingen skjer nå automatisk.", forward_to=IT, weight=1),
    CaseText("kontor", F, QUAL, "Samhandling", "Forslag: felles kalender for møterom",
             "Møterommene dobbeltbookes. Foreslår en felles kalender for alle rom.", None, (1, 1), (1, 1),
             (MeasureText("Møterommene legges inn som ressurser i kalenderen", None, "Gjort."),),
             "Rommene bookes nå i kalenderen."),
    CaseText("alle", A, INFO, "Tap av utstyr", "Adgangskort mistet",
             "Adgangskortet ble borte på vei hjem fra jobb.", "Kortet ble sperret samme kveld.", (1, 1), (2, 2), (),
             "Kortet ble sperret straks; nytt kort er utlevert.", weight=1),
    # ---- everywhere -----------------------------------------------------------------------------------------
    CaseText("alle", A, HMS, "Arbeidsmiljø", "Ytterdøra går ikke i lås",
             "Ytterdøra har ikke gått i lås de siste dagene; hvem som helst kan gå rett inn.",
             "Døra blir låst med nøkkel til den er reparert.", (1, 1), (3, 3),
             (MeasureText("Låsen repareres av eiendom", None, "Låsen er byttet."),),
             "Låsen var slitt og er byttet.", location="Hovedinngangen", forward_to=PROPERTY),
    CaseText("alle", U, HMS, "Personskade", "Skled på isen ved inngangen",
             "Ansatt skled på isen ved inngangen og slo hoften. Det var ikke strødd.", None, (2, 2), (3, 3),
             (MeasureText("Fast strøing før kl. 07 på hverdager", None, "Avtalt med vaktmester og fulgt."),),
             "Strøingen er lagt inn i vaktmesterens morgenrunde.", location="Inngangen", forward_to=PROPERTY,
             months=(12, 1, 2), weight=2, season_only=True),
    CaseText("alle", A, HMS, "Arbeidsmiljø", "Over 28 grader på arbeidsplassen",
             "Det har vært over 28 grader inne i flere dager, og flere har fått hodepine.", None, (1, 1), (2, 2),
             (MeasureText("Solskjerming på vinduene mot sør", None, "Montert."),),
             "Solskjermingen har holdt temperaturen nede.", forward_to=PROPERTY, months=(6, 7, 8), weight=1,
             season_only=True),
    CaseText("alle", F, QUAL, "Samhandling", "Forslag: kortere personalmøter med fast agenda",
             "Personalmøtene blir lange. Foreslår fast agenda sendt ut dagen før.", None, (1, 1), (1, 1), (),
             "Tatt til etterretning; fast agenda sendes nå ut dagen før.", weight=1),
)  # fmt: skip
