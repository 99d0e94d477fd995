"""What the demo history's documents say: procedures, guidelines, forms and plans as a kommune writes them, each
with its purpose, scope, responsibilities and steps, for the kinds of workplace a demo kommune has.

A text is a template: the unit that owns the document fills in ``{enhet}``, so the same procedure for two nursing
home wards is two documents. Later versions add what a revision usually adds (``CHANGES``), and a draft sent
back by the leader is mended by the fix that answers the leader's comment (``REJECTIONS``). The workplace-specific
texts are in ``demo_procedures``.
"""

from __future__ import annotations

from dataclasses import dataclass

from varde_documents.domain import DocumentKind

P, R, S, PLAN, INS = (DocumentKind.PROCEDURE, DocumentKind.GUIDELINE, DocumentKind.FORM, DocumentKind.PLAN,
                    DocumentKind.INSTRUCTION)  # fmt: skip
HMS, INFO, CARE, SCHOOL, TECH, STAFF, READY, QUALITY = (
    "HMS",
    "Informasjonssikkerhet og personvern",
    "Helse og omsorg",
    "Oppvekst",
    "Teknisk og eiendom",
    "Personal",
    "Beredskap",
    "Kvalitet og internkontroll",
)
FOLDERS = (QUALITY, HMS, INFO, CARE, SCHOOL, TECH, STAFF, READY)


@dataclass(frozen=True)
class DocumentText:
    """One document as a template; ``{enhet}`` is the owning unit's name."""

    setting: str  # a key of SETTINGS, "alle" (any workplace) or "kommune" (owned at the top, read by many)
    kind: DocumentKind
    title: str
    folder: str
    tags: tuple[str, ...]
    laws: tuple[str, ...]
    purpose: str
    responsibilities: tuple[str, ...]
    steps: tuple[str, ...]
    addition: str  # the step the first revision adds: what experience taught
    addition_summary: str


@dataclass(frozen=True)
class Change:
    """What a later revision does to any document: a sentence added to a section."""

    summary: str
    section: str
    sentence: str
    significant: bool


# Workplaces by words in a unit's name, tried in this order.
SETTINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("kjokken", ("Kjøkken",)),
    ("hjemmetjeneste", ("Heimetenest", "Hjemmetjenest", "Sone ", "Nattpatrulje")),
    ("barnehage", ("barnehage",)),
    ("skole", ("skule", "skole", "trinn", "SFO")),
    ("helse", ("Lege", "Helsestasjon", "Fysio", "Psykisk", "Bu- og", "Oppfølging", "Helse og familie")),
    ("teknisk", ("Teknisk", "Vatn", "Vann", "Veg", "Eigedom", "Eiendom", "Reinhald")),
    ("sykehjem", ("sjukeheim", "omsorgssenter", "helsehus", "Skedsmotun", "Korttid", "Langtid", "Post ", "Avdeling ",
                  "Skjerma", "Rehabilitering", "Dagsenter")),
)  # fmt: skip
OFFICE = "kontor"

CHANGES: tuple[Change, ...] = (
    Change("Lagt til årlig evaluering av rutinen", "Fremgangsmåte",
           "Rutinen gjennomgås på personalmøtet hver høst; forslag til endringer sendes revisjonsansvarlig.", True),
    Change("Presisert ansvar ved leders fravær", "Ansvar",
           "Ved leders fravær har stedfortreder det samme ansvaret etter denne rutinen.", False),
    Change("Avvik meldes nå i Varde", "Fremgangsmåte",
           "Brudd på rutinen og uønskede hendelser meldes som avvik i Varde samme dag.", True),
    Change("Språklige rettelser og oppdaterte henvisninger", "Formål",
           "Rutinen bygger på kommunens felles kvalitetssystem og erstatter tidligere lokale papirrutiner.", False),
)  # fmt: skip

# (the leader's comment, the sentence the author adds to the responsibilities before sending it again)
REJECTIONS: tuple[tuple[str, str], ...] = (
    ("Mangler hvem som har ansvaret når leder er borte.",
     "Når leder er borte, har ansvarshavende på vakt ansvaret for at rutinen følges."),
    ("Fremgangsmåten må si hva som gjelder utenfor vanlig arbeidstid.",
     "Utenfor vanlig arbeidstid kontaktes leder i beredskap på vaktelefonen."),
    ("Ta med hvordan nyansatte og vikarer får opplæring i rutinen.",
     "Nyansatte og vikarer gjennomgår rutinen med fadder før første vakt."),
    ("Henvis til gjeldende regelverk, ikke det som er opphevet.",
     "Henvisningene til regelverket er kontrollert mot Lovdata."),
)  # fmt: skip

STILL_VALID_COMMENTS = (
    "Gjennomgått med verneombudet; ingen endringer.",
    "Gjennomgått på personalmøtet. Rutinen gjelder fortsatt.",
    None,
    "Kontrollert mot regelverket; fortsatt riktig.",
)
DRAFT_SUMMARIES = ("Første utkast", "Utkast til ny rutine", None)

TEXTS: tuple[DocumentText, ...] = (
    # ---- owned at the top, read by the whole kommune or a sector --------------------------------------------
    DocumentText("kommune", R, "Retningslinje for informasjonssikkerhet", INFO,
                 ("informasjonssikkerhet", "personvern"),
                 ("Personopplysningsloven", "GDPR art. 32", "Kommuneloven § 25-1"),
                 "Sikre at opplysninger om innbyggere og ansatte behandles konfidensielt, riktig og tilgjengelig "
                 "for dem som trenger dem.",
                 ("Kommunedirektøren eier retningslinjen.", "Hver leder sørger for at ansatte kjenner den.",
                  "Alle ansatte følger den og melder brudd."),
                 ("Lås skjermen når du går fra PC-en.", "Del aldri brukernavn og passord.",
                  "Send personopplysninger bare i kommunens godkjente systemer, aldri i vanlig e-post.",
                  "Meld tap av telefon, PC eller papirer straks som avvik."),
                 "Ved mistanke om at opplysninger er kommet på avveie, varsles personvernombudet samme dag.",
                 "Lagt til varsling av personvernombudet"),
    DocumentText("kommune", P, "Rutine for melding og behandling av avvik", QUALITY, ("avvik", "internkontroll"),
                 ("Kommuneloven § 25-1", "Forskrift om ledelse og kvalitetsforbedring § 6"),
                 "Lære av det som går galt, så det ikke skjer igjen.",
                 ("Den som oppdager et avvik, melder det.", "Nærmeste leder behandler meldingen og lukker den.",
                  "Kvalitetsrådgiveren følger opp tallene for kommunen."),
                 ("Sørg for at situasjonen er trygg.", "Meld avviket i Varde samme dag.",
                  "Leder tar meldingen til behandling innen tre arbeidsdager.",
                  "Leder setter tiltak, følger dem opp og lukker saken med en konklusjon."),
                 "Alvorlige hendelser meldes i tillegg muntlig til leder straks.", "Lagt til muntlig varsling"),
    DocumentText("kommune", PLAN, "Overordnet beredskapsplan", READY, ("beredskap", "kriseledelse"),
                 ("Sivilbeskyttelsesloven § 15", "Forskrift om kommunal beredskapsplikt"),
                 "Kommunen skal kunne fortsette sine viktigste tjenester og lede arbeidet når en krise rammer.",
                 ("Kommunedirektøren leder kriseledelsen.", "Beredskapskoordinatoren holder planen oppdatert.",
                  "Hver virksomhet har sin egen tiltakskort."),
                 ("Kriseledelsen kalles inn av kommunedirektøren eller stedfortreder.",
                  "Situasjonsbildet oppdateres hver fjerde time i loggen.",
                  "Informasjon til innbyggerne går ut på kommunens nettside.",
                  "Planen øves hvert år."), "Strømbrudd over 24 timer har fått eget tiltakskort.",
                 "Nytt tiltakskort for langvarig strømbrudd"),
    DocumentText("kommune", P, "Rutine for varsling av kritikkverdige forhold", STAFF, ("varsling", "arbeidsmiljø"),
                 ("Arbeidsmiljøloven kapittel 2 A",),
                 "Ansatte skal trygt kunne si fra om kritikkverdige forhold, og varslene skal følges opp forsvarlig.",
                 ("Leder tar imot varsler og sørger for at de blir undersøkt.",
                  "Personalavdelingen bistår i saker om leder selv.",
                  "Varsleren skal ikke utsettes for gjengjeldelse."),
                 ("Si fra til nærmeste leder, verneombud eller tillitsvalgt.",
                  "Varsler kan også sendes skriftlig til personalavdelingen.",
                  "Mottaker bekrefter at varselet er mottatt innen en uke.",
                  "Varsleren får vite hvordan saken er fulgt opp."),
                 "Anonyme varsler tas imot og følges opp så langt det lar seg gjøre.", "Lagt til anonyme varsler"),
    DocumentText("kommune", INS, "Instruks for bruk av e-post, Teams og telefon", INFO, ("informasjonssikkerhet",),
                 ("Personopplysningsloven", "Arkivlova § 6"),
                 "Rett kanal for rett opplysning: det som er taushetsbelagt, hører ikke hjemme i e-post eller chat.",
                 ("Hver ansatt følger instruksen.", "Digitalisering drifter verktøyene og sikrer dem."),
                 ("Bruk ikke e-post til helseopplysninger eller andre taushetsbelagte opplysninger.",
                  "Saksdokumenter arkiveres i sakssystemet, ikke i Teams.",
                  "Tjenestetelefonen har kode og låses automatisk."),
                 "Meldinger til innbyggere med personopplysninger sendes med SvarUt.", "Lagt til SvarUt"),
    # ---- any workplace ----------------------------------------------------------------------------------------
    DocumentText("alle", P, "HMS-runde og vernerunde – {enhet}", HMS, ("HMS", "arbeidsmiljø"),
                 ("Internkontrollforskriften § 5", "Arbeidsmiljøloven § 3-1"),
                 "Finne og rette farer i arbeidsmiljøet i {enhet} før noen blir skadet.",
                 ("Leder gjennomfører runden sammen med verneombudet.", "Ansatte melder farer de ser."),
                 ("Vernerunde holdes hver vår med sjekklisten for arbeidsplassen.",
                  "Funn registreres som tiltak med ansvarlig og frist.",
                  "Leder går gjennom tiltakene på personalmøtet."),
                 "Tiltak som ikke er lukket innen fristen, tas opp med virksomhetsleder.", "Oppfølging av frister"),
    DocumentText("alle", INS, "Brannvern og evakuering – {enhet}", HMS, ("HMS", "brann", "beredskap"),
                 ("Brann- og eksplosjonsvernloven § 6", "Forskrift om brannforebygging § 8"),
                 "Alle i {enhet} vet hva de skal gjøre når brannalarmen går.",
                 ("Leder sørger for branninstruks og årlig øvelse.", "Alle ansatte kjenner rømningsveiene."),
                 ("Varsle: ring 110 og utløs alarmen.", "Redd: få alle ut av rommet som brenner, og lukk døra.",
                  "Slokk hvis det er trygt.", "Møt på møteplassen og tell opp."),
                 "Den som har vakt, tar med seg lista over dem som er til stede.", "Lagt til opptelling med liste"),
    DocumentText("alle", P, "Opplæring av nyansatte – {enhet}", STAFF, ("opplæring", "HMS"),
                 ("Arbeidsmiljøloven § 3-2",),
                 "Nyansatte i {enhet} skal få den opplæringen de trenger for å gjøre jobben trygt.",
                 ("Leder har ansvaret for opplæringsplanen.", "Fadder følger opp den nyansatte de første ukene."),
                 ("Leder sender velkomstbrev og sjekkliste før første dag.",
                  "Fadder går gjennom rutinene som gjelder arbeidsplassen.",
                  "Den nyansatte bekrefter i Varde at rutinene er lest.", "Oppfølgingssamtale etter seks uker."),
                 "Vikarer får en kortversjon av opplæringen før første vakt.", "Lagt til opplæring av vikarer"),
    DocumentText("alle", R, "Taushetsplikt og tilgang til opplysninger – {enhet}", INFO,
                 ("informasjonssikkerhet", "taushetsplikt"), ("Forvaltningsloven § 13",),
                 "Ansatte i {enhet} vet hva taushetsplikten omfatter og hvem som får se hva.",
                 ("Leder gir og fjerner tilganger.", "Alle ansatte signerer taushetserklæring."),
                 ("Du har bare tilgang til det du trenger for oppgavene dine.",
                  "Snakk ikke om brukere eller elever der andre kan høre det.",
                  "Tilganger gjennomgås når noen slutter eller bytter oppgaver."),
                 "Taushetserklæringen fornyes hvert tredje år.", "Fornyelse av taushetserklæring"),
    DocumentText("alle", P, "Oppfølging av sykefravær – {enhet}", STAFF, ("sykefravær", "arbeidsmiljø"),
                 ("Arbeidsmiljøloven § 4-6", "Folketrygdloven § 25-2"),
                 "Tidlig og god dialog med sykmeldte i {enhet}, så flere kommer raskt tilbake.",
                 ("Leder følger opp den sykmeldte.", "Den sykmeldte deltar i dialogen."),
                 ("Leder tar kontakt i løpet av første uke.", "Oppfølgingsplan lages innen fire uker.",
                  "Dialogmøte holdes innen sju uker."),
                 "Bedriftshelsetjenesten kan trekkes inn etter avtale med den sykmeldte.",
                 "Lagt til bedriftshelsetjenesten"),
    DocumentText("alle", P, "Vold og trusler – forebygging og oppfølging – {enhet}", HMS,
                 ("HMS", "vold og trusler"), ("Arbeidsmiljøloven § 4-3", "Forskrift om utførelse av arbeid kap. 23 A"),
                 "Forebygge vold og trusler mot ansatte i {enhet}, og ta vare på den som blir utsatt for det.",
                 ("Leder kartlegger risikoen og setter tiltak.", "Ansatte melder alle hendelser."),
                 ("Risikoen vurderes for hver bruker eller situasjon der det er kjent uro.",
                  "Gå aldri alene til en kjent risikosituasjon.", "Etter en hendelse tar leder kontakt samme dag.",
                  "Hendelsen meldes som avvik."), "Tilbud om samtale med bedriftshelsetjenesten etter alvorlige "
                 "hendelser.", "Lagt til oppfølging etter hendelser"),
    DocumentText("alle", S, "Skjema for risikovurdering av arbeidsoppgaver – {enhet}", HMS, ("HMS", "risiko"),
                 ("Internkontrollforskriften § 5 nr. 6",),
                 "Et felles skjema for å vurdere risikoen ved arbeidsoppgaver i {enhet}.",
                 ("Leder fyller ut skjemaet sammen med de ansatte.",),
                 ("Beskriv oppgaven og hvem som utfører den.", "Vurder sannsynlighet og konsekvens fra 1 til 5.",
                  "Skriv tiltak, ansvarlig og frist.", "Skjemaet lagres i Varde som risikovurdering."),
                 "Vurderingen gjentas når oppgaven endres.", "Lagt til ny vurdering ved endringer"),
)  # fmt: skip


def setting_of(unit_name: str) -> str:
    for setting, words in SETTINGS:
        if any(word.lower() in unit_name.lower() for word in words):
            return setting
    return OFFICE


def body(text: DocumentText, unit: str, *, revisions: int, changes: tuple[Change, ...], fixes: tuple[str, ...]) -> str:
    """The Markdown of one version: ``revisions`` > 0 adds what the first revision taught, then each change."""
    sections: dict[str, list[str]] = {
        "Formål": [text.purpose.format(enhet=unit)],
        "Omfang": [f"Rutinen gjelder for alle ansatte i {unit}, også vikarer og studenter."],
        "Ansvar": [f"- {line}" for line in (*text.responsibilities, *fixes)],
        "Fremgangsmåte": [f"{n}. {step}" for n, step in enumerate(_steps(text, revisions), start=1)],
    }
    for change in changes:
        sections[change.section].append(f"- {change.sentence}" if change.section == "Ansvar" else change.sentence)
    lines = [f"# {text.title.format(enhet=unit)}", ""]
    for heading, content in sections.items():
        lines += [f"## {heading}", "", *_paragraphs(content), ""]
    lines += ["## Henvisninger", "", *(f"- {law}" for law in text.laws)]
    return "\n".join(lines) + "\n"


def _steps(text: DocumentText, revisions: int) -> tuple[str, ...]:
    return (*text.steps, text.addition) if revisions > 0 else text.steps


def _paragraphs(content: list[str]) -> list[str]:
    """List lines stay together; a sentence on its own becomes its own paragraph."""
    out: list[str] = []
    for line in content:
        if out and not line.startswith(("- ", *(f"{n}." for n in range(10)))):
            out.append("")
        out.append(line)
    return out
