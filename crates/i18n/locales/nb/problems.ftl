## Error messages by the API's problem code.

problem-invalid-json = Forespørselen hadde feil format.
problem-invalid-path-parameter = Adressen inneholder en ugyldig ID.
problem-invalid-query = Søket inneholder en ugyldig verdi.
problem-unauthenticated = Du må logge inn.
problem-invalid-credentials = E-post, passord eller kode er feil.
problem-invalid-client = Klient-ID eller klienthemmelighet er feil, eller klienten er trukket tilbake eller utløpt.
problem-unsupported-grant-type = Bare tildelingstypen client_credentials støttes.
problem-invalid-scope = Klienten har ikke tilgang til en av de forespurte rettighetene.
problem-gone = Lenken er utløpt, allerede brukt eller trukket tilbake.
problem-second-factor-missing = Kontoen mangler en andre faktor. Fullfør registreringen først.
problem-forbidden = Du har ikke tilgang til dette.
problem-ip-not-allowed = Organisasjonen slipper bare inn ansatte fra godkjente nettverk. Koble til fra kontornettet eller VPN.
problem-passkey-required = Organisasjonen krever at du logger inn med passnøkkel. Legg til en passnøkkel under Min konto, logg ut og logg inn med den.
problem-not-found = Vi fant ikke det du lette etter.
problem-method-not-allowed = Denne handlingen er ikke mulig her.
problem-not-acceptable = Serveren kan ikke levere svaret i ønsket format.
problem-conflict = Endringen passer ikke med tilstanden saken har nå.
problem-precondition-failed = Noen andre har endret dette i mellomtiden. Last siden på nytt.
problem-payload-too-large = Det du sendte, er for stort.
problem-unsupported-media-type = Det du sendte, har et format serveren ikke tar imot.
problem-validation-failed = Noen av opplysningene er ikke gyldige.
problem-invalid-cursor = Sidevisningen er utdatert. Gå til første side.
problem-rate-limited = For mange forespørsler. Vent litt og prøv igjen.
problem-internal-error = Det oppstod en feil hos oss.
problem-service-unavailable = Tjenesten er midlertidig utilgjengelig.
problem-network = Fikk ikke kontakt med Vern. Sjekk nettforbindelsen.
