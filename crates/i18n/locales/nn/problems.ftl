## Error messages by the API's problem code.

problem-invalid-json = Førespurnaden hadde feil format.
problem-invalid-path-parameter = Adressa inneheld ein ugyldig ID.
problem-invalid-query = Søket inneheld ein ugyldig verdi.
problem-unauthenticated = Du må logge inn.
problem-invalid-credentials = E-post, passord eller kode er feil.
problem-invalid-client = Klient-ID eller klientløyndom er feil, eller klienten er trekt tilbake eller gått ut.
problem-unsupported-grant-type = Berre tildelingstypen client_credentials er støtta.
problem-invalid-scope = Klienten har ikkje tilgang til ein av dei førespurde rettane.
problem-gone = Lenkja har gått ut, er alt brukt eller er trekt tilbake.
problem-second-factor-missing = Kontoen manglar ein andre faktor. Fullfør registreringa først.
problem-forbidden = Du har ikkje tilgang til dette.
problem-ip-not-allowed = Organisasjonen slepper berre inn tilsette frå godkjende nettverk. Kople til frå kontornettet eller VPN.
problem-passkey-required = Organisasjonen krev at du loggar inn med passnøkkel. Legg til ein passnøkkel under Kontoen min, logg ut og logg inn med han.
problem-not-found = Vi fann ikkje det du leitte etter.
problem-method-not-allowed = Denne handlinga er ikkje mogleg her.
problem-not-acceptable = Tenaren kan ikkje levere svaret i ønskt format.
problem-conflict = Endringa passar ikkje med tilstanden saka har no.
problem-precondition-failed = Nokon andre har endra dette i mellomtida. Last sida på nytt.
problem-payload-too-large = Det du sende, er for stort.
problem-unsupported-media-type = Det du sende, har eit format tenaren ikkje tek imot.
problem-validation-failed = Nokre av opplysningane er ikkje gyldige.
problem-invalid-cursor = Sidevisinga er utdatert. Gå til fyrste side.
problem-rate-limited = For mange førespurnader. Vent litt og prøv igjen.
problem-internal-error = Det oppstod ein feil hos oss.
problem-service-unavailable = Tenesta er mellombels utilgjengeleg.
problem-network = Fekk ikkje kontakt med Vern. Sjekk nettsambandet.
