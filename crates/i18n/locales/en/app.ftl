## The application frame: header, navigation, language switch, common states.

app-name = Vern
app-tagline = Privacy for municipalities, vendors and residents
skip-to-content = Skip to main content
nav-label = Main menu
nav-organizations = Organisations
nav-api-docs = API documentation
language-label = Language
footer-text = Vern helps municipalities keep track of how they process personal data.
loading = Loading …
error-title = Something went wrong
error-retry = Try again
request-id-label = Reference for support
not-found-title = Page not found
not-found-body = This address does not exist in Vern. Check the link, or go to the overview.
go-home = Go to the overview
