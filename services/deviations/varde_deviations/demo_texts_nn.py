"""The demo history's cases in nynorsk, as employees and leaders in a nynorsk kommune write them.

Each case is found by its bokmål title in :data:`varde_deviations.demo_texts.CASES` and replaces only the words:
what kind of case it is, where and when it happens and how it is followed up stay the same, so the plan drawn
for a kommune is the same in either målform.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from varde_deviations.demo_texts import CaseText, MeasureText, Phrases

M = MeasureText


@dataclass(frozen=True)
class CaseWords:
    title: str
    description: str
    immediate_action: str | None
    measures: tuple[MeasureText, ...]
    conclusion: str
    persons: str | None = None
    location: str | None = None


def in_nynorsk(text: CaseText) -> CaseText:
    words = CASES[text.title]
    return replace(text, title=words.title, description=words.description, immediate_action=words.immediate_action,
                   measures=words.measures, conclusion=words.conclusion, persons=words.persons,
                   location=words.location)  # fmt: skip


PHRASES = Phrases(
    acknowledge=(
        None,
        "Teke til handsaming. Eg snakkar med dei involverte i dag.",
        "Takk for meldinga. Vi følgjer det opp på personalmøtet.",
        "Teke til handsaming; ser på rutinen vår.",
        None,
    ),
    reject=(
        "Meldt to gonger; vi følgjer det opp i den første meldinga.",
        "Gjeld ikkje eininga vår og er ikkje eit avvik; teke opp direkte med leverandøren.",
        "Forholdet er alt retta og meldt som del av ei anna sak.",
    ),
    reopen=MeasureText(
        "Ny gjennomgang av rutinen med alle tilsette på avdelingsmøtet",
        "Følgje med på nye meldingar om det same dei neste to månadene",
        "Ingen nye hendingar etter gjennomgangen.",
    ),
    reopen_reason="Det same skjedde att etter at saka vart lukka.",
    reopen_conclusion="Vi har gått gjennom rutinen på nytt med alle tilsette, og det har ikkje skjedd att.",
    escalate="Alvorleg hending: løfta til leiaren over for oppfølging og læring på tvers.",
    forward="Sendt vidare til dei som eig problemet.",
)

# By the bokmål title of the case.
CASES: dict[str, CaseWords] = {
    # ---- nursing home ---------------------------------------------------------------------------------------
    "Fall på badet": CaseWords(
        "Fall på badet",
        "Bebuar vart funnen sitjande på golvet på badet ved morgonstellet. Hadde prøvd å gå på toalettet utan å "
        "ringje på. Klagar over smerter i venstre hofte.",
        "Sjukepleiar undersøkte bebuaren, og tilsynslegen vart kontakta. Observert gjennom vakta.",
        (M("Ny fallrisikovurdering og sensormatte ved senga", "Gå gjennom fallregistreringane etter fire veker",
           "Ingen nye fall på fire veker; sensormatta varslar som ho skal."),),
        "Fallet skjedde då bebuaren gjekk åleine om natta. Sensormatte og oppdatert tiltaksplan har verka.",
        "Bebuar på rom {rom}; dottera er varsla", "Badet på rom {rom}"),
    "Beboer falt fra stol i dagligstua": CaseWords(
        "Bebuar fall frå stol i daglegstova",
        "Bebuar skleid ut av stolen under middagen og vart liggjande på golvet. Fekk eit kutt i panna.",
        "Såret reinsa og plastra, blodtrykk og puls målt. Tilsynslegen orientert.",
        (M("Ny stol til bebuaren, med armlene og sete som hallar bakover", None,
           "Bebuaren sit trygt i den nye stolen."),
         M("Fast plass nær personalet under måltida", None, "Innført, og alle held seg til det.")),
        "Rett stol og plass ved bordet har hindra nye fall.", "Bebuar på rom {rom}", "Daglegstova"),
    "Kveldsmedisin ikke gitt": CaseWords(
        "Kveldsmedisin ikkje gitt",
        "Kveldsmedisinen til ein bebuar vart ikkje gitt kl. 20. Oppdaga av nattevakta ved kontroll kl. 23.",
        "Lege kontakta; dosen vart gitt etter avtale med lege.",
        (M("Signering i kurva rett etter kvar utdeling på kveldsvakt", "Stikkprøver av signaturlistene i fire "
           "veker", "Stikkprøvene viste full signering."),),
        "Medisinen vart gløymd i ei travel overlapping. Signering ved utdeling er innført, og alle gjer det.",
        "Bebuar på rom {rom}", "Medisinrommet"),
    "Beboer fikk dosetten til en annen beboer": CaseWords(
        "Bebuar fekk dosetten til ein annan bebuar",
        "Bebuar fekk morgonmedisinane til bebuaren på naborommet. Oppdaga då vi talde opp tablettane.",
        "Lege kontakta; bebuaren vart observert med blodtrykk kvar time gjennom dagen.",
        (M("Namn og bilete på alle dosettar", None, "Alle dosettar er merkte med namn og bilete."),
         M("Legemiddelhandtering blir teken opp på personalmøtet", "Legemiddelgjennomgang om tre månader",
           "Gjennomgangen fann ingen nye forvekslingar.")),
        "Forvekslinga kom av like dosettar på to rom ved sida av kvarandre. Merking med bilete har verka.",
        "To bebuarar på avdelinga (rom {rom} og rommet ved sida av)"),
    "Insulinpenn lå framme umerket": CaseWords(
        "Insulinpenn låg framme umerkt",
        "Ein ferdig stilt insulinpenn låg framme på medisintralla utan namn. Oppdaga før noko vart gitt.",
        "Pennen vart kasta, og sjukepleiaren sette opp ein ny dose.",
        (M("Insulin blir stilt opp berre rett før det blir gitt, og aldri utan namn", None,
           "Alle kjenner rutinen og følgjer han."),),
        "Rutinen for insulin er gjort tydelegare for alle på vakt.", location="Medisintralla"),
    "Trykksår oppdaget ved stell": CaseWords(
        "Trykksår oppdaga ved stell",
        "Bebuar har fått eit trykksår grad 2 på hælen. Snuing var ikkje dokumentert siste døgnet.",
        "Avlasting av hælen, sårstell etter prosedyre, og sjukepleiar varsla.",
        (M("Snuskjema på rommet og snuing kvar tredje time", "Sårstatus etter to veker",
           "Såret gror, og snuskjemaet blir fylt ut kvar vakt."),),
        "Snuinga vart ikkje gjord i helga. Snuskjema på rommet har gjort det synleg for alle.",
        "Bebuar på rom {rom}"),
    "Beboer gikk ut av skjermet avdeling": CaseWords(
        "Bebuar gjekk ut av skjerma avdeling",
        "Bebuar med demens følgde etter besøkjande ut døra og vart funnen ved busstoppet etter 20 minutt.",
        "Vi følgde bebuaren tilbake, undersøkte han og gav han varm drikke. Pårørande er varsla.",
        (M("Kodelås på ytterdøra og skilt til besøkjande om å late att etter seg", None,
           "Kodelåsen er montert og i bruk."),),
        "Døra vart ståande open etter besøkjande. Kodelås og informasjon til besøkjande har verka.",
        "Bebuar på rom {rom}", "Hovudinngangen"),
    "Kveldsvakt med for lav bemanning": CaseWords(
        "Kveldsvakt med for låg bemanning",
        "To sjukmelde på kveldsvakt og ingen vikar å få. Fleire bebuarar fekk ikkje kveldsstell til vanleg tid.",
        "Leiar i beredskap kontakta; oppgåvene vart prioriterte.",
        (M("Eiga vikarliste for kveld og helg", "Telje vakter utan vikar neste kvartal",
           "Ingen vakter utan vikar siste kvartalet."),),
        "Vikarlista gjev nok folk også ved sjukdom på kort varsel."),
    "Ansatt slått under stell": CaseWords(
        "Tilsett slått under stell",
        "Bebuar vart uroleg under morgonstellet og slo ein tilsett i andletet. Raudt merke, ingen varig skade.",
        "Stellet vart avbrote og teke opp att seinare med to tilsette. Den tilsette fekk samtale med leiaren.",
        (M("Stell av bebuaren blir gjort av to tilsette, med fast tiltaksplan ved uro", None,
           "Ingen nye episodar etter at planen vart innført."),
         M("Opplæring i førebygging av vald og truslar for avdelinga", None,
           "Alle fast tilsette har fått opplæringa.")),
        "Uroa kom ved stell om morgonen. To tilsette og ein fast plan har gjort stellet roligare.",
        "Bebuar på rom {rom} og ein tilsett på dagvakt"),
    "Ryggskade ved forflytning": CaseWords(
        "Ryggskade ved forflytting",
        "Tilsett fekk vondt i ryggen då ein bebuar vart flytta frå seng til rullestol utan personløftar; "
        "løftaren var i bruk på eit anna rom.",
        "Den tilsette vart send heim og fekk time hos bedriftshelsetenesta.",
        (M("Ein personløftar til på avdelinga", None, "Den nye løftaren er levert og i bruk."),),
        "Éin personløftar var for lite til avdelinga. Med to har det ikkje vore manuelle løft."),
    "Omgangssyke på avdelingen": CaseWords(
        "Omgangssjuke på avdelinga",
        "Fem bebuarar og to tilsette har fått oppkast og diaré i løpet av to døgn.",
        "Isolering på romma, kohortpleie og smittevernlegen varsla.",
        (M("Ekstra reinhald av kontaktpunkt og avgrensa besøk til utbrotet er over", None,
           "Utbrotet var over etter ni dagar."),),
        "Utbrotet vart avgrensa til éi avdeling. Smittevernrutinen verka."),
    "Journal åpnet uten tjenstlig behov": CaseWords(
        "Journal opna utan tenestleg behov",
        "Kontroll av journalloggen viser at ein tilsett har opna journalen til ein bebuar på ei anna avdeling "
        "utan å ha hatt noko med pleia å gjere.",
        "Vi gjekk gjennom tilgangen, og den tilsette er kalla inn til samtale.",
        (M("Samtale med den tilsette og ny signering av teieplikterklæring", None,
           "Samtalen er gjennomført og erklæringa signert."),
         M("Stikkprøvekontroll av journaloppslag kvar månad", "Resultatet av dei tre neste kontrollane",
           "Kontrollane har ikkje funne nye oppslag utan tenestleg behov.")),
        "Oppslaget var nysgjerrigheit, ikkje tenestleg behov. Følgt opp med den tilsette; stikkprøvene held "
        "fram.",
        "Ein tilsett på ei anna avdeling; bebuar på rom {rom}"),
    "Sengehest nede hos beboer med høy fallrisiko": CaseWords(
        "Sengehest nede hos bebuar med høg fallrisiko",
        "Sengehesten var ikkje slått opp etter kveldsstellet hos ein bebuar med vedtak om sengehest.",
        "Nattevakta slo opp sengehesten.", (),
        "Teke opp med kveldsvaktene; sjekkpunktet står no i kveldsrapporten.", "Bebuar på rom {rom}"),
    "Forslag: faste tider for pårørendesamtaler": CaseWords(
        "Forslag: faste tider for pårørandesamtalar",
        "Pårørande ringjer ofte i morgonstellet. Faste telefontider ville gitt betre samtalar og meir ro.", None,
        (M("Faste telefontider for pårørande kl. 13–14, på nettsida og ved inngangen", None,
           "Pårørande brukar telefontida, og morgonstellet blir sjeldnare avbrote."),),
        "Forslaget er innført. Takk for eit godt forslag!"),
    "Forslag: sjekkliste ved innkomst på korttid": CaseWords(
        "Forslag: sjekkliste ved innkomst på korttid",
        "Ved innkomst gløymer vi ofte å spørje om hjelpemiddel og faste medisinar. Ei enkel sjekkliste ville "
        "hjelpt nytilsette og vikarar.", None,
        (M("Sjekkliste for innkomst blir laga og lagd i innkomstmappa", None, "Sjekklista er teken i bruk."),),
        "Sjekklista er teken i bruk på korttid."),
    "Mangelfull rapport ved vaktskifte": CaseWords(
        "Mangelfull rapport ved vaktskifte",
        "Det vart ikkje gitt beskjed ved vaktskiftet om at ein bebuar hadde hatt feber om natta.",
        "Dagvakta målte temperaturen og kontakta sjukepleiar.", (),
        "Rapportrutinen er teken opp med alle; viktige observasjonar blir skrivne i journalen før vaktskiftet.",
        "Bebuar på rom {rom}"),
    # ---- home care ------------------------------------------------------------------------------------------
    "Bruker fikk ikke besøk til avtalt tid": CaseWords(
        "Brukar fekk ikkje besøk til avtalt tid",
        "Morgonbesøket hos ein brukar fall ut då køyrelista vart endra. Brukaren fekk medisinane tre timar for "
        "seint.", "Besøket vart gjort så snart det vart oppdaga, og brukaren fekk medisinane.",
        (M("Endringar i køyrelista blir kontrollerte av to før dei blir lagra", "Telje besøk som fell ut dei "
           "neste to månadene", "Ingen besøk har falle ut etter endringa."),),
        "Besøket fall ut ved ei endring i køyrelista. Dobbeltkontroll av endringar har verka.",
        "Brukar i sone {rom}"),
    "Multidose ikke tatt": CaseWords(
        "Multidose ikkje teken",
        "Ved kveldsbesøket låg morgonposen frå multidosen urørd på kjøkenbenken.",
        "Sjukepleiaren ringde fastlegen; brukaren tok medisinane etter avtale.",
        (M("Ved morgonbesøket ser vi at brukaren tek medisinane; vi set dei ikkje berre fram", None,
           "Alle på vakt gjer det no."),),
        "Brukaren gløymer medisinane når dei berre blir sette fram. Observert inntak er innført.",
        "Brukar i sone {rom}"),
    "Bruker funnet på gulvet ved morgenbesøk": CaseWords(
        "Brukar funnen på golvet ved morgonbesøk",
        "Brukaren låg på stovegolvet då vi kom, og hadde truleg lege der sidan natta. Tryggleiksalarmen låg "
        "på nattbordet.", "Ambulanse tilkalla; brukaren vart lagd inn til observasjon.",
        (M("Tryggleiksalarm med fallsensor", None, "Fallsensoren er montert og testa."),
         M("Tverrfagleg møte om behovet for meir tilsyn", None, "Brukaren har fått nattbesøk.")),
        "Brukaren hadde ikkje alarmen på seg. Fallsensor og nattbesøk gjer det tryggare å bu heime.",
        "Brukar i sone {rom}; sonen er varsla"),
    "Ansatt falt på glatt innkjørsel": CaseWords(
        "Tilsett fall på glatt innkøyrsle",
        "Tilsett skleid på isen i innkøyrsla til ein brukar og slo albogen.",
        "Albogen vart undersøkt på legevakta; ingen brot.",
        (M("Broddar til alle i tenesta og strøsand i bilane", None, "Delt ut og i bruk."),),
        "Broddar og strøsand er no fast utstyr om vinteren.", location="Innkøyrsla hos ein brukar"),
    "Truende pårørende": CaseWords(
        "Trugande pårørande",
        "Sonen til ein brukar kjefta og truga ein tilsett då besøket kom seint. Den tilsette kjende seg utrygg.",
        "Den tilsette gjekk ut av bustaden og ringde leiaren.",
        (M("To tilsette på besøk hos brukaren inntil vidare", None, "Innført; ingen nye episodar."),
         M("Samtale med pårørande om korleis tenesta er organisert", None, "Samtalen er gjennomført.")),
        "Besøka blir no gjorde av to tilsette, og samtalen med pårørande har roa situasjonen.",
        "Brukaren og sonen; tilsett på dagvakt"),
    "Tjenestetelefon med journal mistet": CaseWords(
        "Tenestetelefon med journal mista",
        "Tenestetelefonen med tilgang til journalen vart mista på ein tur mellom to brukarar.",
        "Telefonen vart sperra og sletta via mobilhandteringa same kvelden.",
        (M("Kortare tid før skjermlås på tenestetelefonane", None, "Endra på alle telefonane."),),
        "Telefonen vart fjernsletta før nokon kunne bruke han; personvernombodet har vurdert saka."),
    "Nøkkelboks stod åpen": CaseWords(
        "Nøkkelboks stod open",
        "Nøkkelboksen hos ein brukar stod open med nøkkelen i då kveldsvakta kom.",
        "Nøkkelboksen vart låst og koden bytt.", (),
        "Alle er minte på å kontrollere at nøkkelboksen er låst før dei går."),
    # ---- school ---------------------------------------------------------------------------------------------
    "Elev skadet i friminuttet": CaseWords(
        "Elev skadd i friminuttet",
        "Elev fall frå klatrestativet og slo hovudet i bakken. Var kort uklar.",
        "Vi ringde føresette, og eleven vart henta til legevakta.",
        (M("Meir fallunderlag under klatrestativet", None, "Nytt underlag er lagt."),),
        "Underlaget var for tynt. Nytt fallunderlag er lagt, og inspeksjonen står ved stativet.",
        "Elev på 4. trinn", "Skulegarden"),
    "Elev slo lærer": CaseWords(
        "Elev slo lærar",
        "Elev sparka og slo ein lærar under ein konflikt i garderoben.",
        "Eleven vart roa ned og henta av føresette. Læraren fekk oppfølging av leiaren.",
        (M("Tiltaksplan for eleven saman med føresette og PPT", None, "Planen er på plass."),
         M("Samtale og oppfølging for læraren", None, "Gjennomført.")),
        "Vi har følgt tiltaksplanen, og det har ikkje skjedd att.", "Elev på 6. trinn og ein lærar"),
    "Opplysninger om elev sendt til feil foresatt": CaseWords(
        "Opplysningar om elev sende til feil føresett",
        "Ei melding om spesialundervisning for ein elev vart send til føresette til ein annan elev.",
        "Mottakaren vart kontakta og sletta meldinga. Personvernombodet er varsla.",
        (M("Meldingar med personopplysningar blir kontrollerte av to før dei blir sende", None,
           "Alle følgjer rutinen."),),
        "Feil mottakar vart vald frå nedtrekkslista. Meldinga er sletta, og rutinen er stramma inn.",
        "Elev på 7. trinn og føresette til ein annan elev"),
    "Elev forlot SFO uten beskjed": CaseWords(
        "Elev forlét SFO utan beskjed",
        "Ein elev gjekk heim frå SFO utan å seie frå. Saknet vart oppdaga ved opprop 30 minutt seinare.",
        "Vi ringde føresette; eleven var komen heim.",
        (M("Opprop kvar halvtime i utetida", None, "Innført."),),
        "Oppropet er innført, og alle barn blir registrerte ved henting.", "Elev på 2. trinn"),
    "Brannøvelse: ikke alle elever registrert ute": CaseWords(
        "Brannøving: ikkje alle elevar registrerte ute",
        "Ved brannøvinga mangla det namnelister for to klassar på oppstillingsplassen.", None,
        (M("Namnelister i beredskapsmappa i kvart klasserom", None, "Mappene er på plass."),),
        "Namnelistene ligg no i kvar beredskapsmappe."),
    "Forslag: digital sjekkliste for turer": CaseWords(
        "Forslag: digital sjekkliste for turar",
        "Føreslår ei felles digital sjekkliste før turar (førstehjelp, telefonliste, allergiar).", None,
        (M("Sjekklista blir laga og lagd inn i rutinane til skulen", None, "Teken i bruk frå hausten."),),
        "Sjekklista er teken i bruk."),
    # ---- kindergarten ---------------------------------------------------------------------------------------
    "Barn med nøtteallergi fikk servert nøtter": CaseWords(
        "Barn med nøtteallergi fekk servert nøtter",
        "Eit barn med nøtteallergi fekk servert brød med nøtter. Ein tilsett oppdaga det før barnet åt.",
        "Maten vart bytt; ingen reaksjon.",
        (M("Allergiliste med bilete på kjøkenet og på kvar avdeling", None,
           "Listene heng oppe og blir oppdaterte."),),
        "Allergilista var ikkje oppdatert etter at vikaren byrja. Ho heng no synleg på alle avdelingar.",
        "Barn på avdeling {rom}"),
    "Barn gikk ut porten under utetid": CaseWords(
        "Barn gjekk ut porten i utetida",
        "Eit barn kom seg ut porten, som ikkje var lukka, og vart funne utanfor gjerdet etter få minutt.",
        "Barnet vart henta inn; føresette er orienterte.",
        (M("Ny lås som lukkar porten av seg sjølv", None, "Låsen er montert."),),
        "Porten lukka seg ikkje sjølv. Ny lås er montert.", "Barn på 3 år", "Porten mot parkeringsplassen"),
    "Vondt i ryggen ved stellebordet": CaseWords(
        "Vondt i ryggen ved stellebordet",
        "Fleire tilsette har vondt i ryggen; stellebordet kan ikkje hevast og senkast.", None,
        (M("Nytt stellebord som kan hevast og senkast", None, "Levert og montert."),),
        "Det nye stellebordet er i bruk, og ingen har meldt nye plager."),
    "Rømningsvei sperret av vogner": CaseWords(
        "Rømingsveg sperra av vogner",
        "Barnevogner stod i rømingsvegen ved garderoben ved branninspeksjonen.", "Vognene vart flytta.",
        (M("Eigen merkt plass for vogner utanfor", None, "Merkt og i bruk."),),
        "Vognene har fått eigen plass, og rømingsvegen blir halden fri."),
    # ---- health services ------------------------------------------------------------------------------------
    "Prøvesvar lagt i feil journal": CaseWords(
        "Prøvesvar lagt i feil journal",
        "Eit prøvesvar vart skanna inn i journalen til ein annan pasient med same etternamn.",
        "Dokumentet vart flytta til rett journal; begge pasientane er informerte.",
        (M("Fødselsdato blir kontrollert ved kvar innskanning", None, "Alle følgjer rutinen."),),
        "Forvekslinga kom av same etternamn. Kontroll av fødselsdato ved innskanning er innført.",
        "To pasientar med same etternamn"),
    "Vaksiner oppbevart for varmt": CaseWords(
        "Vaksinar oppbevarte for varmt",
        "Temperaturloggen viste 12 °C i vaksinekjøleskapet over helga.",
        "Vaksinane vart sette i karantene, og leverandøren vurderte dei.",
        (M("Alarm på kjøleskapet som varslar på telefon", None, "Alarmen er montert og testa."),),
        "Kjøleskapet var defekt. Det er bytt, og alarmen varslar no ved avvik."),
    "Pasient truet ansatt i skranken": CaseWords(
        "Pasient truga tilsett i skranken",
        "Ein pasient vart sint over ventetida og truga ein tilsett i skranken.",
        "Vektar tilkalla; pasienten forlét lokalet.",
        (M("Alarmknapp i skranken og øving i bruken", None, "Montert, og øvinga er halden."),),
        "Alarmknappen er på plass, og alle har øvd på bruken.", "Ein tilsett i skranken"),
    "Nesten feil pasient til blodprøve": CaseWords(
        "Nesten feil pasient til blodprøve",
        "To pasientar med same førenamn sat på venterommet; feil pasient vart ropt inn.",
        "Oppdaga ved kontroll av fødselsdato før prøva vart teken.", (),
        "Kontrollen av fødselsdato verka. Teke opp som eit godt døme på personalmøtet."),
    # ---- kitchen --------------------------------------------------------------------------------------------
    "Kjølerommet over 8 grader": CaseWords(
        "Kjølerommet over 8 grader",
        "Temperaturloggen viste 9 °C i kjølerommet natt til måndag.", "Maten vart vurdert; noko vart kasta.",
        (M("Service på kjøleaggregatet", None, "Aggregatet er reparert."),),
        "Aggregatet var defekt og er reparert; temperaturen er stabil."),
    "Brannskade fra stekeovnen": CaseWords(
        "Brannskade frå steikeomnen",
        "Tilsett brende underarmen på omnsplata då fisken vart teken ut.", "Kjølt med vatn i 20 minutt.",
        (M("Lange omnsvottar til alle", None, "Kjøpt inn og i bruk."),),
        "Lange vottar er tekne i bruk."),
    # ---- technical services ---------------------------------------------------------------------------------
    "Arbeid i grøft uten sikring": CaseWords(
        "Arbeid i grøft utan sikring",
        "Det vart arbeidd i ei grøft djupare enn to meter utan avstiving.",
        "Arbeidet vart stansa til grøfta var sikra.",
        (M("Sikker jobbanalyse før alt grøftearbeid", None, "Innført."),),
        "Sikker jobbanalyse blir no gjord før kvart grøftearbeid."),
    "Oljesøl fra anleggsmaskin": CaseWords(
        "Oljesøl frå anleggsmaskin",
        "Ein hydraulikkslange sprakk, og om lag 20 liter olje rann ut på grusen.",
        "Absorbent lagt ut, og forureina masse vart graven opp.",
        (M("Ettersyn av hydraulikkslangar ved kvar service", None, "Lagt inn i sjekklista."),),
        "Massane er leverte til godkjent mottak, og slangane blir sjekka ved kvar service."),
    "Kjemikalier uten sikkerhetsdatablad": CaseWords(
        "Kjemikaliar utan tryggleiksdatablad",
        "Fleire kjemikaliar i verkstaden manglar tryggleiksdatablad i stoffkartoteket.", None,
        (M("Stoffkartoteket blir oppdatert", None, "Alle produkta har no datablad."),),
        "Stoffkartoteket er oppdatert."),
    # ---- office and IT --------------------------------------------------------------------------------------
    "E-post med personopplysninger til feil mottaker": CaseWords(
        "E-post med personopplysningar til feil mottakar",
        "Ein e-post med ein søknad og vedlegg vart send til ein person med nesten same namn.",
        "Mottakaren stadfesta at e-posten er sletta. Personvernombodet er varsla.",
        (M("Slå av autofullføring av adresser i e-postprogrammet", None, "Slått av for alle."),),
        "Autofullføringa valde feil mottakar. Funksjonen er slått av."),
    "Ansatt oppga passordet sitt i en phishing-e-post": CaseWords(
        "Tilsett oppgav passordet sitt i ein phishing-e-post",
        "Ein tilsett klikka på ei lenkje i ein falsk e-post og skreiv inn brukarnamn og passord.",
        "Passordet vart bytt og kontoen sjekka for innloggingar.",
        (M("Tofaktor på e-post for alle tilsette", None, "Innført for alle."),
         M("Kurs i å kjenne att phishing", None, "Alle har teke kurset.")),
        "Ingen uvedkomande rakk å logge inn. Tofaktor og kurs er på plass."),
    "Ansatt som har sluttet har fortsatt tilgang": CaseWords(
        "Tilsett som har slutta, har framleis tilgang",
        "Ein vikar som slutta for to månader sidan, kan framleis logge inn i fagsystemet.",
        "Tilgangen vart stengd same dagen.",
        (M("Tilgangar blir stengde automatisk når arbeidsforholdet blir avslutta i HR-systemet", None,
           "Automatikken er på plass."),),
        "Tilgangen er stengd, og stenginga skjer no automatisk."),
    "Forslag: felles kalender for møterom": CaseWords(
        "Forslag: felles kalender for møterom",
        "Møteromma blir dobbeltbooka. Føreslår ein felles kalender for alle romma.", None,
        (M("Møteromma blir lagde inn som ressursar i kalenderen", None, "Gjort."),),
        "Romma blir no booka i kalenderen."),
    "Adgangskort mistet": CaseWords(
        "Tilgangskort mista",
        "Tilgangskortet vart borte på veg heim frå jobb.", "Kortet vart sperra same kvelden.", (),
        "Kortet vart sperra med ein gong; nytt kort er delt ut."),
    # ---- everywhere -----------------------------------------------------------------------------------------
    "Ytterdøra går ikke i lås": CaseWords(
        "Ytterdøra går ikkje i lås",
        "Ytterdøra har ikkje gått i lås dei siste dagane; kven som helst kan gå rett inn.",
        "Døra blir låst med nøkkel til ho er reparert.",
        (M("Eigedom reparerer låsen", None, "Låsen er bytt."),),
        "Låsen var sliten og er bytt.", location="Hovudinngangen"),
    "Skled på isen ved inngangen": CaseWords(
        "Skleid på isen ved inngangen",
        "Tilsett skleid på isen ved inngangen og slo hofta. Det var ikkje strødd.", None,
        (M("Fast strøing før kl. 07 på kvardagar", None, "Avtalt med vaktmeisteren, som gjer det kvar morgon."),),
        "Strøinga er lagd inn i morgonrunden til vaktmeisteren.", location="Inngangen"),
    "Over 28 grader på arbeidsplassen": CaseWords(
        "Over 28 grader på arbeidsplassen",
        "Det har vore over 28 grader inne i fleire dagar, og fleire har fått hovudverk.", None,
        (M("Solskjerming på vindauga mot sør", None, "Montert."),),
        "Solskjerminga har halde temperaturen nede."),
    "Forslag: kortere personalmøter med fast agenda": CaseWords(
        "Forslag: kortare personalmøte med fast agenda",
        "Personalmøta blir lange. Føreslår fast agenda send ut dagen før.", None, (),
        "Teke til etterretning; fast agenda blir no send ut dagen før."),
}  # fmt: skip
