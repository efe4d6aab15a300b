## Error messages by the API's problem code.

problem-invalid-json = The request had the wrong format.
problem-invalid-path-parameter = The address contains an invalid ID.
problem-invalid-query = The search contains an invalid value.
problem-unauthenticated = You need to log in.
problem-invalid-credentials = The e-mail, password or code is wrong.
problem-invalid-client = The client id or secret is wrong, or the client has been revoked or has expired.
problem-unsupported-grant-type = Only the client_credentials grant type is supported.
problem-invalid-scope = The client does not have one of the requested permissions.
problem-gone = The link has expired, has been used already or has been withdrawn.
problem-second-factor-missing = The account has no second factor yet. Complete the enrolment first.
problem-forbidden = You do not have access to this.
problem-ip-not-allowed = The organisation admits staff only from approved networks. Connect from the office network or VPN.
problem-passkey-required = The organisation requires you to log in with a passkey. Add a passkey under My account, log out and log in with it.
problem-not-found = We could not find what you were looking for.
problem-method-not-allowed = This action is not possible here.
problem-not-acceptable = The server cannot deliver the answer in the requested format.
problem-conflict = The change does not fit the current state.
problem-precondition-failed = Someone else changed this in the meantime. Reload the page.
problem-payload-too-large = What you sent is too large.
problem-unsupported-media-type = What you sent has a format the server does not accept.
problem-validation-failed = Some of the information is not valid.
problem-invalid-cursor = The page listing is out of date. Go to the first page.
problem-rate-limited = Too many requests. Wait a moment and try again.
problem-internal-error = An error occurred on our side.
problem-service-unavailable = The service is temporarily unavailable.
problem-network = Could not reach Vern. Check your network connection.
