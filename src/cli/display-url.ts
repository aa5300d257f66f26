/**
 * Text safe to print: in every URL it contains, the `secret=`/`token=` query values and a userinfo password are
 * replaced by `***`. The Hub documents `?secret=` as a way to pass the webhook secret, and `http://user:pass@…`
 * carries credentials, so a URL a user typed must never be echoed as given (not even in an error message).
 * @example
 * redactUrlsInText('got "127.0.0.1/webhooks/a?secret=abc"'); // 'got "127.0.0.1/webhooks/a?secret=***"'
 * redactUrlsInText("http://me:pw@127.0.0.1:7860/x");        // "http://me:***@127.0.0.1:7860/x"
 */
export function redactUrlsInText(text: string): string {
  return text
    .replace(/([?&](?:secret|token|access_token)=)[^&#\s"'()]*/gi, "$1***")
    .replace(/(\/\/[^/?#@\s"':]*:)[^/?#@\s"']*@/g, "$1***@");
}
