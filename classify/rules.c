/*
 * rules.c - the taxonomy: kind, class and reason of a failed recipient
 *
 * DESCRIPTION
 *	mxb_classify() decides the reason of a failure from three pieces of
 *	evidence, in this order (docs/taxonomy.md explains each choice):
 *
 *	0. a provider's own words, by the recipient's domain
 *	   (provider_words[]), and its published error codes anywhere in
 *	   the words (provider_codes[]); the strong text rules (the first
 *	   STRONG_RULES of text_rules[]): words that decide whatever code
 *	   the server put on them;
 *	1. a status code whose meaning is unambiguous (exact_status[]: x.1.1,
 *	   x.2.2, ...), then a provider's own details (provider_status[]);
 *	2. the diagnostic-text rules, the table text_rules[] below, first
 *	   match wins - servers misuse generic codes such as 5.7.1 and
 *	   5.0.0, so the words decide; then the SMTP phase of the refusal
 *	   when the report names it (at the greeting or EHLO: the sending
 *	   host; at MAIL FROM: our sender);
 *	3. the status code's subject (x.1.*, x.7.*, ...);
 *	4. the SMTP reply code; a provider default by the recipient's
 *	   domain; else "undetermined".
 *
 *	The class follows from the reason (reasons[]), with one exception:
 *	a hard reason with a temporary (4.x.x) status is soft, because a
 *	server that says "try again" has not declared the address dead. A
 *	delay gets the reason it waits for and no class.
 *
 *	The text rules are data: add a line to text_rules[] and a case to
 *	tests/unit/test_rules.c, and bump MXB_CLASSIFIER_VERSION. Each
 *	alternative of a rule needs a case of its own: ctest's
 *	unit_rule_coverage (tests/unit/rule-coverage) fails otherwise.
 *	The build compiles the rules (rules-blob-gen.c, rx.h); nothing to
 *	do for it.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "rx.h"

static gboolean optimize;                   /* set before any regex is compiled */
static gint optimize_read;                  /* TRUE once it was read: fixed from then on */
static mxb_prefilter_reader prefilter_read; /* with optimize; NULL: none */

/* optimized - optimize, read: later calls of mxb_classify_set_optimize
 * change nothing */
static gboolean optimized(void)
{
    if (G_UNLIKELY(!g_atomic_int_get(&optimize_read)))
        g_atomic_int_set(&optimize_read, TRUE);
    return optimize;
}

void mxb_rules_set_optimize(gboolean on, mxb_prefilter_reader reader)
{
    if (!g_atomic_int_get(&optimize_read)) {
        optimize = on;
        prefilter_read = on ? reader : NULL;
    }
}

/* mxb_regex_optimize - the compile flag that follows from it */
GRegexCompileFlags mxb_regex_optimize(void)
{
    return optimized() ? G_REGEX_OPTIMIZE : 0;
}

static const struct {
    const char *name;
    mxb_class klass;
} reasons[MXB_REASON_COUNT] = {
    [MXB_REASON_NONE] = {NULL, MXB_CLASS_NONE},
    [MXB_REASON_USER_UNKNOWN] = {"user_unknown", MXB_CLASS_HARD},
    [MXB_REASON_DOMAIN_UNKNOWN] = {"domain_unknown", MXB_CLASS_HARD},
    [MXB_REASON_NOT_ACCEPTING] = {"not_accepting", MXB_CLASS_HARD},
    [MXB_REASON_MOVED] = {"moved", MXB_CLASS_HARD},
    [MXB_REASON_MAILBOX_DISABLED] = {"mailbox_disabled", MXB_CLASS_SOFT},
    [MXB_REASON_MAILBOX_FULL] = {"mailbox_full", MXB_CLASS_SOFT},
    [MXB_REASON_TOO_LARGE] = {"too_large", MXB_CLASS_SOFT},
    [MXB_REASON_EXPIRED] = {"expired", MXB_CLASS_SOFT},
    [MXB_REASON_NETWORK_ERROR] = {"network_error", MXB_CLASS_SOFT},
    [MXB_REASON_SYSTEM_ERROR] = {"system_error", MXB_CLASS_SOFT},
    [MXB_REASON_UNDETERMINED] = {"undetermined", MXB_CLASS_SOFT},
    [MXB_REASON_REPUTATION] = {"reputation", MXB_CLASS_BLOCK},
    [MXB_REASON_CONTENT_REJECTED] = {"content_rejected", MXB_CLASS_BLOCK},
    [MXB_REASON_AUTH_FAILURE] = {"auth_failure", MXB_CLASS_BLOCK},
    [MXB_REASON_RATE_LIMITED] = {"rate_limited", MXB_CLASS_BLOCK},
    [MXB_REASON_SENDER_REJECTED] = {"sender_rejected", MXB_CLASS_BLOCK},
};

/* mxb_reason_name - the reason's name in JSON and SQL */
const char *mxb_reason_name(mxb_reason reason)
{
    return (unsigned)reason < MXB_REASON_COUNT ? reasons[reason].name : NULL;
}

/* mxb_reason_class - the class of a reason */
mxb_class mxb_reason_class(mxb_reason reason)
{
    return (unsigned)reason < MXB_REASON_COUNT ? reasons[reason].klass : MXB_CLASS_NONE;
}

/* mxb_class_name - "hard", "soft", "block" or NULL */
const char *mxb_class_name(mxb_class klass)
{
    static const char *const names[] = {NULL, "hard", "soft", "block"};

    return (unsigned)klass < G_N_ELEMENTS(names) ? names[klass] : NULL;
}

/* mxb_kind_name - the kind's name in JSON and SQL */
const char *mxb_kind_name(mxb_kind kind)
{
    static const char *const names[] = {
        [MXB_KIND_BOUNCE] = "bounce",
        [MXB_KIND_DELAYED] = "delayed",
        [MXB_KIND_DELIVERED] = "delivered",
        [MXB_KIND_COMPLAINT] = "complaint",
        [MXB_KIND_AUTO_REPLY] = "auto_reply",
        [MXB_KIND_CHALLENGE] = "challenge",
        [MXB_KIND_MDN] = "mdn",
        [MXB_KIND_FEEDBACK] = "feedback",
        [MXB_KIND_NOT_BOUNCE] = "not_bounce",
        [MXB_KIND_UNPARSEABLE] = "unparseable",
    };

    return (unsigned)kind < G_N_ELEMENTS(names) ? names[kind] : "unparseable";
}

/*
 * Status codes whose meaning does not depend on the words (step 1).
 * "c" matches either class 4 or 5; the class then comes from the code.
 */
static const struct {
    const char *code; /* subject.detail */
    mxb_reason reason;
} exact_status[] = {
    {"1.1", MXB_REASON_USER_UNKNOWN},    /* bad destination mailbox address */
    {"1.2", MXB_REASON_DOMAIN_UNKNOWN},  /* bad destination system address */
    {"1.3", MXB_REASON_USER_UNKNOWN},    /* bad destination mailbox syntax */
    {"1.6", MXB_REASON_MOVED},           /* mailbox has moved */
    {"1.7", MXB_REASON_SENDER_REJECTED}, /* bad sender mailbox syntax */
    {"1.8", MXB_REASON_SENDER_REJECTED}, /* bad sender system address */
    {"2.2", MXB_REASON_MAILBOX_FULL},    /* mailbox full (soft, even as 5.2.2) */
    {"2.3", MXB_REASON_TOO_LARGE},       /* message length exceeds limit */
    {"3.4", MXB_REASON_TOO_LARGE},       /* message too big for system */
    {"4.4", MXB_REASON_DOMAIN_UNKNOWN},  /* unable to route: no MX or A (RFC 3463) */
    {"4.7", MXB_REASON_EXPIRED},         /* delivery time expired */
    {"5.3", MXB_REASON_RATE_LIMITED},    /* too many recipients */
    {"7.20", MXB_REASON_AUTH_FAILURE},   /* RFC 7372: no passing DKIM signature */
    {"7.21", MXB_REASON_AUTH_FAILURE},
    {"7.22", MXB_REASON_AUTH_FAILURE},
    {"7.23", MXB_REASON_AUTH_FAILURE},     /* SPF validation failed */
    {"7.24", MXB_REASON_AUTH_FAILURE},     /* SPF validation error */
    {"7.25", MXB_REASON_REPUTATION},       /* reverse DNS validation failed */
    {"7.26", MXB_REASON_AUTH_FAILURE},     /* multiple authentication checks failed */
    {"7.27", MXB_REASON_AUTH_FAILURE},     /* sender address has null MX */
    {"7.28", MXB_REASON_RATE_LIMITED},     /* mail flood detected */
    {"7.13", MXB_REASON_MAILBOX_DISABLED}, /* user account disabled */
    {"7.515", MXB_REASON_AUTH_FAILURE},    /* Microsoft: access denied, auth */
};

/*
 * Providers' own status details (step 1, beside exact_status[]): RFC 3463
 * and its registry give one- or two-digit details; Microsoft (Exchange
 * Online, Outlook.com) numbers its verdicts in the hundreds, and documents
 * them ("Email non-delivery reports and SMTP errors in Exchange Online").
 * Class '4' or '5' only, or 'c' for either.
 */
static const struct {
    char cls;
    int subject, lo, hi; /* detail in lo..hi */
    mxb_reason reason;
} provider_status[] = {
    /* 5.2.121, 5.2.122: the recipient's hourly limit for mail from this sender */
    {'c', 2, 121, 122, MXB_REASON_RATE_LIMITED},
    /* 5.2.252 "SendAsDenied; <sender> not allowed to send as <From>": the
     * sending account may not use that From address */
    {'c', 2, 252, 252, MXB_REASON_SENDER_REJECTED},
    /* 5.7.133-136: a group or mailbox that takes mail from its own
     * organisation's authenticated senders only */
    {'c', 7, 133, 136, MXB_REASON_SENDER_REJECTED},
    /* 5.1.90: "you've reached your daily limit for message recipients" */
    {'c', 1, 90, 90, MXB_REASON_RATE_LIMITED},
    /* 5.4.310: "DNS domain ... does not exist" */
    {'c', 4, 310, 310, MXB_REASON_DOMAIN_UNKNOWN},
    /* 4.4.312-318: "DNS query failed", "Connection refused", "Connection
     * timed out", "Cannot connect to remote server"; as 5.4.300 and
     * 5.4.312-318 "Message expired, ...": the queue gave up, and the
     * last attempt's error follows (expired, as for any x.4.7) */
    {'4', 4, 312, 318, MXB_REASON_NETWORK_ERROR},
    {'5', 4, 300, 300, MXB_REASON_EXPIRED},
    {'5', 4, 312, 318, MXB_REASON_EXPIRED},
    /* 4.7.321-325 and 5.7.321-325: the destination's TLS, DANE or DNSSEC
     * is broken ("starttls-not-supported", "certificate-expired",
     * "tlsa-invalid", "dnssec-invalid", "certificate-host-mismatch"):
     * the receiving side's setup, which it can mend */
    {'c', 7, 321, 325, MXB_REASON_NETWORK_ERROR},
    /* 4.7.500-699: "Server busy, please try again later from [IP]", the
     * throttling of a sending IP */
    {'4', 7, 500, 699, MXB_REASON_RATE_LIMITED},
    /* 5.7.501-503: "Access denied, spam abuse detected", "banned sender":
     * the sending account */
    {'5', 7, 501, 503, MXB_REASON_SENDER_REJECTED},
    /* 5.7.506 "bad HELO", 5.7.507 the recipient's organisation refuses the
     * sending IP, 5.7.510 no mail over IPv6 from this host */
    {'5', 7, 506, 507, MXB_REASON_REPUTATION},
    {'5', 7, 510, 510, MXB_REASON_REPUTATION},
    /* 5.7.509: the sending domain fails DMARC and its policy is reject */
    {'5', 7, 509, 509, MXB_REASON_AUTH_FAILURE},
    /* 5.7.606-649: "Access denied, banned sending IP" */
    {'5', 7, 606, 649, MXB_REASON_REPUTATION},
    /* 5.7.700-749: the sending tenant or IP blocked */
    {'5', 7, 700, 749, MXB_REASON_REPUTATION},
    /* 5.7.750: "client blocked from sending from unregistered domains" */
    {'5', 7, 750, 750, MXB_REASON_SENDER_REJECTED},
    /* 4.7.850-899: "Access denied, please try again later": suspicious
     * activity seen from the sending IP, restricted while evaluated */
    {'4', 7, 850, 899, MXB_REASON_REPUTATION},
    /* 5.7.900-999: "Delivery not authorized, message refused": the
     * recipient organisation's own mail flow (transport) rules */
    {'5', 7, 900, 999, MXB_REASON_CONTENT_REJECTED},
};

/* provider_exact - step 1, the providers' own details */
static mxb_reason provider_exact(const char *status)
{
    int subject = -1, detail = -1;

    if (status == NULL || (status[0] != '4' && status[0] != '5') ||
        sscanf(status + 1, ".%d.%d", &subject, &detail) != 2)
        return MXB_REASON_NONE;
    for (size_t i = 0; i < G_N_ELEMENTS(provider_status); i++)
        if ((provider_status[i].cls == 'c' || provider_status[i].cls == status[0]) &&
            provider_status[i].subject == subject && detail >= provider_status[i].lo &&
            detail <= provider_status[i].hi)
            return provider_status[i].reason;
    return MXB_REASON_NONE;
}

/*
 * The diagnostic-text rules (step 2), first match wins, case-insensitive
 * PCRE on bytes (G_REGEX_RAW): "case-insensitive" holds for ASCII only, so
 * words in other scripts list their capitals ("(п|П)ользователь"), and an
 * alternative of accented letters is a group, never a class ("(o|ó)").
 * Keep the specific before the general: rate and authentication words
 * before "spam" and "policy", "blocked using" before "unavailable".
 * Words in other languages sit beside the English ones of their reason.
 *
 * The first STRONG_RULES lines are strong: they decide even before an
 * exact status code, because servers put a recipient code on a sender
 * verdict ("550 5.1.1 ... has sent to too many recipients this hour",
 * "553 ... spamhaus.org", "550 5.1.1 <b+...>: Sender address rejected:
 * User unknown" when the receiver could not verify our bounce address).
 */
/* after a disabled account's words in another language: not when the
 * sending is the cause ("... per invio di spam", "pour envoi de spam") */
#define NOT_SENDING "(?![^;\\n]{0,40}\\b(spam|invio di|envoi de|env(i|í|Í)o (de|masivo))\\b)"

#define STRONG_RULES 17
static const struct {
    mxb_reason reason;
    const char *pattern;
} text_rules[] = {
    /* The receiver refused our sender address (sender verification):
     * whatever follows, the recipient is not the one at fault. */
    {MXB_REASON_SENDER_REJECTED,
     "sender address rejected(?!: gr(e|a)y-?listed)|absenderadresse abgelehnt|sender "
     "verif(y|ication) failed"
     "|absender(adresse)? (ist )?(ungültig|ungueltig|unbekannt)"
     "|sender('s)? (e-?mail )?(address|domain|mailbox)( \\S+)? (has (a )?(null|no) mx"
     "|does(n.?t| not) exist|(is )?(not found|not valid|invalid|unknown|unavailable))"
     "|(?<!spf )(?<!dkim )(?<!dmarc )sender (does(n.?t| not) (exist|have)|(is )?(not valid"
     "|invalid)|unknown|not found|rejected|contains a disallowed domain)"
     "|(envelope[- ]?(sender|from)|mail from|return-path)( address| domain)? (not found"
     "|does(n.?t| not) exist|(is )?(not valid|invalid)|must exist|unknown"
     "|has (a )?(null|no) mx)"
     "|(the )?from:? (address|domain) (not found|does(n.?t| not) exist|(is )?(not valid"
     "|invalid)|unknown)"
     "|(sending|your) domain does(n.?t| not) exist|invalid sender\\b"

     "|domain of (the )?sender( address)?( \\S+)? (does not exist|has (a )?(null|no) mx)"
     "|(invalid|unknown) (user|address|domain) in (the )?from:? header|unable to verify sender"
     "|(bounce|return(-path)?) address verification failed"
     "|(sender|sending|your) account (has been |is |was )?(temporarily )?(disabled|suspended"
     "|deactivated"
     "|blocked|locked)|account (that )?you are sending from|account disabled for sending"
     "|your domain has (a )?(null|no) mx|empty sender address prohibited"
     "|invalid dns mx or a"
     "|sender (address )?(<[^<>\\s]{1,254}> )?(has been |is )?((black|deny|block) ?listed|(in|on) "
     "(my |the |a )?"
     "(user )?(black|deny|block) ?list)|sender (domain )?has no (a|aaaa|mx|dns)\\b"
     "|could not complete sender verify|(do|does) not accept (e-?)?mail from (this|your|that) "
     "(e-?mail )?address"
     "|^[45][0-9][0-9][ -](?![45]\\.1\\.)([45]\\.[0-9]\\.[0-9]{1,3} )?no mx record for "
     "domain\\s*[.;]?\\s*$"
     "|sender black ?listed|sender was not authenticated|sender denied"
     "|does not accept mail from|from an address that has been black ?listed"
     "|(?<!recipient )(?<!address )verification failed for <"
     "|callback setup failed while verifying|verify mail ?from failed"
     "|possible forgery|message sending for this account is disabled"
     "|unresolvable rfc.?5321 from domain"
     "|sender not listed in .{0,40}(directory|address book)|absender nicht im domino-verzeichnis"
     "|not subscribed to (that|this|the) group"
     "|(valid|no) mx (record )?for (the )?sender('s)? domain|not liked source for e-?mail"
     "|your e-?mail address (has been |is )?(black|deny|block) ?listed"},
    /* Gmail's answer to a recipient address of bad syntax ("553 5.1.2
     * The recipient address <.@gmail.com> is not a valid RFC-5321
     * address"): the mailbox's name, not the domain its x.1.2 says. */
    {MXB_REASON_USER_UNKNOWN, "recipient address \\S+ is not a valid rfc.?5321 address"
                              "|recipient address rejected: (address|user|mailbox|recipient) "
                              "does(n.?t| not) exist"},
    /* Directory lookups, before "listed in" of the blocklists. */
    {MXB_REASON_USER_UNKNOWN,
     "(?<!sender )not listed in .{0,40}(directory|address book)|ディレクトリのリストにありません"
     "|non r(é|e)pertori(é|e) dans l.annuaire|(?<!absender )nicht im domino-verzeichnis"
     "|ディレクトリには見つかりません"},
    /* A domain that exists but names no mail server (no MX, no A): it
     * takes no mail; NXDOMAIN is domain_unknown below. */
    {MXB_REASON_NOT_ACCEPTING,
     "null mx"
     "|indicated no smtp service|no mx (record|found for)(?!.{0,16}\\b(sender|your)\\b)"

     "|couldn't find a mail exchanger|answer with no data"
     "|\\bno mx for [a-z0-9-]+\\.[a-z0-9.-]*[a-z]|can.?t find an mx server for(?! (the "
     ")?sender('s)? (domain|address))"
     "|no smtp servers were available for \\S+ no hosts to try"
     "|destination seems? to reject all mails?"},
    /* A full mailbox, whatever code the server put on it ("552 ... is
     * over quota (#5.1.1)"): the address exists. */
    {MXB_REASON_MAILBOX_FULL,
     "over ?quota|(?<!sending )(?<!message )(?<!submission )(?<!queue )quota "
     "exceed(ed|s)?\\b(?! \\((number of mails|accumulated message size))|mailbox (is )?full"
     "|too many (messages|e-?mails|mails) (on the server|in (the |this |his |her |their "
     ")?mailbox(?! queue))"
     "|mailbox has too many (messages|e-?mails|mails)(?! queue)"
     "|overdrawn (his|her|the|its) (disk ?space |mailbox )?quota"
     "|error writing message: file too large"
     "|domain (size|disk ?space|storage) (limit|quota)"
     "|(?<!your )(?<!sender )(?<!sending )(mailbox|account) storage (limit )?(exceeded|is full)"},
    /* The domain's name servers answered, but nonsense: a broken DNS
     * setup, which can be mended, not a domain that does not exist
     * (Postfix puts 5.4.4 on it). */
    {MXB_REASON_NETWORK_ERROR, "malformed (or unexpected )?name server reply"
                               /* Exchange's words for the same */
                               "|\\bdns\\.invaliddata\\b|dns returned an invalid response"
                               "|all routes to destination blocked"
                               /* Postfix's recipient check that could not
                                * ask ("unverified address: lost connection
                                * with ... while sending RCPT TO"), under
                                * its 4.1.1 */
                               "|unverified address: [^;]{0,80}(lost connection|timed out"
                               "|connection refused)"},
    /* qmail's relay refusal, whatever status chkuser puts on it ("553
     * sorry, that domain isn't in my list of allowed rcpthosts (#5.5.3 -
     * chkuser)"): x.5.3 would read as too many recipients. */
    {MXB_REASON_SENDER_REJECTED, "allowed rcpthosts?"},
    /* qmail-smtpd's answer to DATA when it accepted no RCPT ("554 sorry,
     * no valid recipients (#5.1.3)"): its fixed x.1.3 says nothing of
     * why the recipients were refused (that was said at RCPT). */
    {MXB_REASON_UNDETERMINED, "sorry, no valid recipients"
                              /* Postfix's recipient check under its 4.1.1:
                               * the answer is not known yet */
                              "|address verification in progress"},
    /* Gmail's bulk-sender requirements: "rate limited" (or blocked)
     * because of what our mail lacks, which the sender mends. */
    {MXB_REASON_AUTH_FAILURE,
     "rate limited because (it is unauthenticated|(spf|dkim) authentication didn.t pass"
     "|there is no dmarc alignment"
     "|the sending domain doesn.t have a dmarc record|the from: header .{0,30}isn.t aligned)"
     "|spf record of the sending domain has"},
    {MXB_REASON_SENDER_REJECTED, "because (you.re not using a tls connection"
                                 "|it wasn.t sent over a tls connection)"},
    /* A DNS blocklist that refused to answer the receiver's resolver
     * (Spamhaus's "Error: open resolver", "excessive number of queries",
     * "typing error in DNSBL name", with a link to its returnc/ pages):
     * the receiver's own setup, which it can mend; our sending host is not
     * listed. Strong, before the blocklist words: receivers print it
     * under "blocked using". */
    {MXB_REASON_SYSTEM_ERROR, "error: (open resolver|excessive number of queries"
                              "|typing error in dnsbl name)|spamhaus\\.org/returnc/"},
    /* A blocklist of the links in the message: its content, not the
     * sending host (before the blocklists below). */
    {MXB_REASON_CONTENT_REJECTED, "blacklisted (url|link)|\\buribl\\b|\\bsurbl\\b"},
    /* Reputation before rate: "rate limited due to IP reputation". */
    {MXB_REASON_REPUTATION,
     "blocked using(?! spam pattern)|(?<!they may be )(?<!user unknown \\( )black ?list|block "
     "?list|spamhaus|spamcop|barracudacentral|\\bsorbs\\b|listed as dynamic"
     "|\\bdnsbls?\\b|\\brbls?\\b|reputation|reverse (dns|lookup)|\\bptr\\b|\\brdns\\b"
     "|helo (domain|host ?name|name)\\b.{0,20}(not found|does(n.?t| not) exist|unknown|invalid)"
     "|client host ?name does(n.?t| not) exist|has no (host ?name|reverse)"
     "|\\b501[ -]5\\.5\\.4 invalid domain name"
     "|client host .{0,60}(blocked|rejected)(?!:? "
     "gr(e|a)y-?list)|(?<!grey)(?<!gray)(?<!grey-)(?<!gray-)(?<!grey "
     ")(?<!gray )(?<!white)(?<!methods )listed "
     "(at|on|in|by) "
     "|\\bbad ip\\b"
     "|\\bip[=:] ?[0-9a-fx*.:]+ - a problem occurred"
     "|banned sending ip|mismatches client ip"
     "|messages? from ([\\[(]?[0-9.:a-fx*]+[\\])]?|ip) (weren't sent"
     "|(will be )?(temporarily |permanently )?deferred)"
     "|not accepted from this ip|not allowed from this (ip )?range|ip you're using to send "
     "(e-?)?mail is not authorized"
     "|tenant has exceeded threshold|unsolicited mail (originating )?from your "
     "ip.{0,120}\\bblocked\\b"
     "|try again later, closing connection"
     "|due to (unexpected volume or )?user complaints"
     "|my name was rejected|helo command rejected"
     "|unverif(i|y)able sending ips?|smtp server of your isp|dynamic ip|dial-?up"

     "|check your smtp server is set to"
     "|spams? from (your|this) ip|is blocked from sending|looks (suspiciously )?like (a "
     ")?spammer|(are|currently) sending spam"
     "|zombied|open proxy|bad ip profile|cannot (find your hostname|resolve your address)"
     "|ip name lookup failed|sender ip (address|reverse lookup) rejected"
     "|dns lookup failure: [^ ]+ try again later|no valid recipients from"
     "|accepting mail from your ip|access forbidden by your ip|invalid ip for sending"
     "|unwanted messages have been sent from|ip not in (the )?(whitelist|allowlist)"
     "|helo ?/ ?ehlo (argument|requires)|suspected spam ip|\\bspam ip rejected|bad sender "
     "ip|invalid rdns|listed as "
     "abusive"
     "|requested mail action not taken: invalid ip\\b|\\bip (is )?in prison\\b"
     "|you cannot say you are me|helo host ?name (has been |was )?(denied|rejected)"
     "|your mail ?server \\[?[0-9a-f.:]{3,45}\\]? is rejected|non-static-?ip"
     "|is in an? [^ ]*rbl\\b|mail from \\d+\\.\\d+\\.\\d+\\.\\d+ (refused|rejected)|refused - see "
     "https?:"},
    /* A refused relay (the receiver does not take mail for that domain
     * from us), before the words of an unknown address that may come with
     * it ("Unknown address: relaying denied"); after the sending host's
     * reputation ("Client host rejected: Relaying denied - Your IP
     * identified as spammer"). */
    {MXB_REASON_SENDER_REJECTED,
     "relay(ing)? (access )?(denied|not permitted|prohibited)|(does|do) not relay|don.?t relay"
     "|not accepting relayed mail"},
    {MXB_REASON_RATE_LIMITED,
     "too many (concurrent |simultaneous )?(smtp )?"
     "(connections|messages|recipients|e-?mails|mails)"
     "|rate limit|unusual rate|sending rate|throttl|exceeded .{0,40}rate"
     "|sent to too many|frequency limited|sending quota"
     "|exceeded permitted limits|server busy\\. please try again later from|relay quota"
     "|(daily|hourly) (message |sending )?quota|connection (limit|rate\\b)|too many (smtp "
     ")?sessions"
     "|max(imum)? (e-?mails|messages) per (hour|day)|too many errors from your ip"
     "|trop de connexions|submission quota|thread limit"
     "|receiving (e-?)?mail (too quickly|at a rate)|relay limit exceeded"
     "|maximum number of (concurrent |simultaneous )?(server )?connections"
     "|\\btoo much mail\\s*\\.?\\s*$|messages in (the )?past [0-9a-z]+ from your (ip|network)"
     "|max(imum)? defers and failures|daily send(ing)? limit|message submission rate"
     "|reached a limit for sending (mail|e-?mail)|delivery attempts per hour"},
    /* The receiving system is out of disk: why the message never went,
     * even when the reporter then says its queue gave up (x.4.7). So is
     * a domain whose MX records lead back to the sender (Exchange's
     * "5.4.4 SMTPSEND.DNS.MxLoopback; DNS records for this domain are
     * configured in a loop"), over the x.4.4 that reads as no domain. */
    {MXB_REASON_SYSTEM_ERROR,
     "insufficient (disk |system )?(space|storage)|system (is )?full"
     "|no space left on device|disk (is )?full"
     "|\\bdns\\.mxloopback\\b|dns records for this domain are configured in a loop"
     /* Postfix's own loop ("mail for example.org loops back to myself"),
      * also under its recipient check's 5.1.1: the receiver's setup */
     "|loops back to myself"
     /* Kopano's LMTP agent puts its fixed "503 5.1.1" on its own failures */
     "|internal error during delivery|connection error: 0x[0-9a-f]{8}"},
    /* A refusal of the message for the receiver's policy or its
     * greylisting, whatever recipient code the server put on it ("550
     * 5.1.1 sorry, you are violating our security policies", "452 4.1.1
     * Greylisting in action, please try again later"): the address was
     * not judged. */
    {MXB_REASON_CONTENT_REJECTED,
     "(you are|you.re) violating (our|the) (security |anti-?spam )?polic(y|ies)"
     /* ezmlm-reject's refusal of a post's MIME type, under its fixed
      * "#5.2.3" (too large) */
     "|don.t accept messages of mime content-?type"
     "|\\bmail ?policy violation"
     "|\\bgr(e|a)y-?list(ed|ing)\\b[^.;\n]{0,40}\\b(try again|later|in action|in effect"
     "|in progress|for \\d+ (min(ute)?s?|sec(ond)?s?)\\b)"},
    /* Not strong from here on. */
    /* The sending host's or our sending's standing, said in words no
     * strong rule knows: an exact x.1.1 still says the address is bad */
    /* iRedAPD's throttle, not a mailbox's quota; a limit of the day or
     * the hour (an exact x.2.2 or x.1.1 still decides) */
    {MXB_REASON_RATE_LIMITED, "quota exceeded \\((number of mails|accumulated message size)"
                              "|(daily|hourly) limit (reached|exceeded)"},
    {MXB_REASON_REPUTATION, "use your isp.?s smtp server|your ip address is a source of spam"
                            "|\\bpool address|dictionary attack|\\btrustmanager\\b"
                            /* OpenBSD spamd: the sending host's lists and traps */
                            "|your address [0-9a-f.:]{3,45} is in the \\S+ list"
                            "|sent mail to an? (\\S+ )?spam ?trap"},
    /* The sender's list, not this address (before the unknown-user words;
     * an exact x.1.1 still says the address is bad). */
    {MXB_REASON_REPUTATION,
     "too many (invalid|unknown|bad|non-?existent) (recipients|rcpt( to)? addresses)"
     "|excessive (invalid|unknown|bad|non-?existent) recipients"
     /* not a warning beside a verdict ("Senders who send to a high
      * number of invalid recipients will be blocked") */
     "|(?<!send to a )(?<!sends to a )(?<!sending to a )(?<!send to an )(high|large"
     "|excessive(ly high)?|unusual) (number|amount|volume) of (invalid|unknown|bad|non-?existent) "
     "(recipients|addresses)"
     "|\\bblock (permanently|temporarily)\\b|suspected bounce attacks?"
     "|namespace mining|block has been placed against your ip"
     "|your ip(v[46])?\\b.{0,48}\\bis filtered|\\bip.{0,48}黑名单|(域名|发件人).{0,24}黑名单"
     /* our HELO name, also when refused at MAIL FROM (before the phase) */
     "|helo (should|must) be an? (fqdn|fully)|no matching a(/aaaa?)? records? found for the ehlo"
     "|\\bhelo \\S+ does not match [0-9]|\\bip bloccat"},
    {MXB_REASON_RATE_LIMITED, "sending limit exceeded|excessive volume|queue quota exceeded"
                              "|exceeded (its|his|her|their|the|your|our) (24-hour |daily "
                              "|hourly )?sending limit|number of allowed outgoing messages"
                              "|\\brcpts? per (hour|day|\\d+ hours)"
                              "|max(imum)? messages? per connection|too much recipients?"
                              "|\\bratelimit(ed)?\\b(?![.-])"
                              "|reached (the )?maximum number of recipients"
                              "|rejection limit reached"},
    /* A host or domain that takes no mail at all, said as a whole
     * sentence (RFC 7504's "Host does not accept mail", "domain does not
     * accept mail (nullMX)"): not "does not accept mail larger than",
     * "from your IP", "at this time", nor "temporarily". So is a domain
     * its old host serves no more ("no longer relays example.org mail",
     * a retired forwarding domain; "example.org is no longer hosted"), a
     * whole sentence too: not "no longer accepts mail that fails DMARC",
     * "... from your IP" nor "... for this user". */
    {MXB_REASON_NOT_ACCEPTING,
     "(?<!user )does not accept (e-?)?mail\\s*($|[.;,()'\"])"
     "|(?<!temporarily )(?<!currently )(?<!user is )not accepting (e-?)?mail\\s*($|[.;,()'\"])"
     "|\\b(domain|host|server) (is )?no longer (accepts?|accepting|receives?|receiving"
     "|handles?|handling|relays?|relaying|hosts?|hosting) (e-?)?mail\\s*($|[.;,()'\"])"
     "|no longer relays \\S+ mail\\s*($|[.;,()'\"])"
     "|\\S\\.[a-z]{2,} is no longer hosted\\b"
     "|(?<![a-z]'s )(?<!your )(?<!sender )(?<!from )(?<!sending )\\bdomain (is )?not used for "
     "(e-?)?mail\\b|indicated with (a )?single dot for (the )?mx record"
     /* GreenArrow's, delivering: "Sorry, the host named example.org
      * does not have any MX records, and delivery without MX records
      * prohibited by local policy" (before the policy words) */
     "|\\bthe host named <?[a-z0-9_.-]{0,250}[a-z0-9_-]\\.[a-z]{2,63}>?[.,:]? does(n.?t| not) "
     "have any mx records?"},
    /* A spam verdict before the authentication words of the advice that
     * often follows it ("... Set up SPF records"). */
    {MXB_REASON_CONTENT_REJECTED, "(rejected|refused|blocked) (due to|because of|as) "
                                  "(suspected |likely )?spam"},
    /* The header or the form of the message (before "duplicate header"
     * and the authentication words). */
    {MXB_REASON_TOO_LARGE, "header size exceeds|message size violation"},
    {MXB_REASON_CONTENT_REJECTED, "invalid mime headers?|improperly.formatted binary"
                                  "|unnecessary base64|8-bit data in message (header|body)"
                                  "|header error|bad header|x-dg-ref header|\\binfected\\b"
                                  "|\\bbad_header\\b|header line format error"},
    {MXB_REASON_AUTH_FAILURE,
     "\\b(spf|dkim|dmarc)\\b|sender policy framework|unauthenticated email|ip authori[sz]ation "
     "check failed"
     "|not rfc ?(2822|5322) compliant|(headers?|message) (is |are )?not rfc compliant"
     "|rfc ?5322 section|multiple addresses in (the )?from"
     "|duplicate header|anti-?spoofing|missing a valid address in (the )?from:? header"
     "|authentication information"
     "|fails? to pass authentication checks|is not allowed to send (e-?)?mail from"
     "|\\b(messages?|mail|e-?mails?) (without|missing|lacking|with no)( an?| the)?"
     "( valid| required)? (to|from|date|subject|message-?id):? (header|field)"
     "|\\b(has|have|contains?) no (to|from|date|subject|message-?id):? (header|field)"
     "|missing required header|rejecting spoofed|spoofed (message|mail|e-?mail|sender)"
     "|\\b(fake|forged) sender\\b"
     "|\\bthe [\"']?from:?[\"']? header is (missing|invalid)|sender ?id \\(pra\\)"
     "|rfc ?5322 requirement"},
    {MXB_REASON_DOMAIN_UNKNOWN,
     "host or domain name not found|domain (name )?not found"
     /* not Italia Online's "550 Invalid Domain [host; VIR_420]", a code of
      * its own about the sending side (as its LIB_120, no reverse DNS) */
     "|invalid domain(?!, see <url:)(?! \\[[^\\]\\n]{0,80}\\b(lib|vir)_[0-9]{3}\\])|dns lookup "
     "failure|domain is not reachable"
     "|domain must exist|mail domain .{0,40}is unknown|unknown domain"
     "|name or service not known|(?<!account or )domain may not exist"
     "|remote domain doesn.?t exist|all host address lookups failed permanently"
     "|couldn't find any host|name server: [^ ]+: host not found"
     "|\\bhost unknown|unknown host|name server reports domain name unknown"
     "|\\bthe host '[a-z0-9_.-]{1,253}' is unknown"
     "|no such domain|(domain|host)( name)? does(n.?t| not) exist|unrouteable mail domain"
     "|không tìm thấy host"
     "|\\bnxdomain\\b|mx records point to non-existent hosts|bad destination system address"
     /* a DNS name as missing_name_regex reads one: its last label letters */
     "|\\bthe domain <?[a-z0-9_.-]{0,250}[a-z0-9_-]\\.[a-z]{2,63}>?[.,:]? (couldn.?t|could not"
     "|can.?t|cannot) be found"
     "|no se ha encontrado el dominio [a-z0-9_.-]{0,250}[a-z0-9_-]\\.[a-z]{2,63}(?![a-z0-9_-])"
     "|ドメイン(名)?(が|は)存在しません|התחום של הנמען לא קיים"
     "|domain existiert nicht|domaine (inconnu|inexistant|n.existe pas)"
     "|dom(ä|ae)ne des empf(ä|ae)ngers nicht vorhanden"
     "|dominio (inexistente|no existe|desconocido)"
     "|(д|Д)омен(а)? (не существует|не найден)"},
    {MXB_REASON_MAILBOX_FULL,
     "mailbox (is )?full|over ?quota|(?<!queue )quota exceeded|exceeded storage"
     "|mailbox size limit|full mailbox|(mail ?folder|inbox) is full|mailbox limit exceeded"
     "|mailbox exceeds|exceeds allowed size|messages in recipient's mailbox"
     "|mailbox (has )?exceeded|disk quota"
     "|exceed(s|ed|ing)? (their |its |the |your )?(mailbox |storage |disk )?quota"
     "|over the (allowed )?quota|(?<!queue )quota (usage )?exceeded|quota violation"
     "|not enough (storage )?space|does not have enough space|would exceed .{0,40}storage"
     "|space has been used up|too much mail data|mail ?box space (is )?not enough"
     "|mail file size exceeds|exceeded (his|her|their|its|the) (storage|mailbox) limit"
     "|over (disk|storage|mailbox) quota|\\b(user|mailbox|recipient) (is )?over (message )?quota"
     "|speichervolumen (ue|ü)berschritten|zu ?viele (e-?)?mails auf dem server"
     "|kapazit(ä|ae)t .{0,40}postfach.{0,20}ersch(ö|oe)pft"
     "|容量(を|が)?(超過|オーバー|超えて)|メールボックスが(いっぱい|一杯|満杯)"
     "|postfach (ist )?voll|bo(i|î)te (aux lettres |du destinataire )?pleine"
     "|buz(o|ó)n (lleno|completo)|correo lleno|casella (di posta )?piena|caixa (postal "
     ")?(cheia|lotada)"
     "|переполнен|(postfach|bo(i|î)te aux lettres|buz(o|ó)n|cassetta postale"
     "|caixa de correio|postvak) .{0,40}(voll|pleine|lleno|piena|cheia|\\bvol\\b)"
     "|skrzynka (odbiorcza )?(jest )?pe(ł|l)na|brevl(å|a)dan (är )?full"
     "|schr(á|a)nka (je )?pln(á|a)|posta kutusu "
     "dolu|邮箱(已满|空间不足|(空间|容量)已满)|信箱(已滿|空間不足)|郵箱(已滿|空間不足)"
     "|메일함이 (가득|꽉)"},
    {MXB_REASON_MAILBOX_DISABLED,
     "(account|mailbox|user) (has been |is )?(temporarily )?(disabled|inactive"
     "|suspended|deactivated|frozen|locked|blocked)"
     "|disabled recipient|temporar(y|ily) locked|banned recipient"
     "|you tried to reach is (disabled|inactive)"
     "|compte du destinataire est bloqu"
     "|(currently|been) suspended|inactive user|deactivated mailbox"
     "|temporarily inactive|suspend the service|extended inactivity"
     "|archived recipient|boite du destinataire archivee"
     "|account is temporarily limited|user not active"
     "|expirado por falta de uso|user status is locked"
     "|policy rejection on the target address|recipient address rejected: inactive\\b"
     "|address (is )?locked or deactivated"
     /* the same in German, French, Spanish, Italian, Portuguese */
     /* (not the sender's: "Absenderkonto", "Ihr Konto",
      * "votre compte", "su cuenta", "... for sending spam") */
     "|(?<!absender)(?<!absender-)(?<!ihr )(?<!dein )(?<!ihr benutzer)(?<!ihr e-mail-)"
     "(konto|postfach) (ist |wurde )?"
     "(gesperrt|deaktiviert|stillgelegt)" NOT_SENDING
     "|(?<!votre )(?<!ton )compte (est |a (e|é|É)t(e|é|É) )?"
     "(d(e|é|É)sactiv(e|é|É)|suspendu|bloqu(e|é|É))" NOT_SENDING
     "|(?<!su )(?<!tu )(cuenta|buz(o|ó|Ó)n) (est(a|á|Á) |ha sido |fue )?"
     "(deshabilitad|desactivad|suspendid|bloquead)" NOT_SENDING
     "|(?<!tuo )(?<!suo )(?<!vostro )(account|casella( di posta)?) ((e|è|È) )?"
     "(stat(o|a) )?(disabilitat|sospes|bloccat|disattivat)" NOT_SENDING
     "|(?<!sua )(?<!tua )(conta|caixa( postal)?) (est(a|á|Á) |foi )?"
     "(desativad|desabilitad|suspens|bloquead)" NOT_SENDING},
    {MXB_REASON_MOVED, "has been replaced by|address has (been )?(moved|changed) to"
                       "|user not local; please try|(user|mailbox) has moved"},
    {MXB_REASON_USER_UNKNOWN,
     "reserved ?by ?rfc ?2606|\\b542 <?[^ <>@]+@[^ <>]+>? rejected|user unknown|unknown "
     "user|no "
     "such "
     "(user|mailbox|recipient|address|person)"
     "|\\binvalid address|(address|mailbox) invalid|can't accept user|is not a known user"
     "|(invalid|unknown) receiver address: \\S+@|\\breceiver not found: "
     "|destination address is not configured|user not on post office"
     "|(?<!your )(?<!sender )(?<!sending )(account|mailbox) (was |has been )?deleted by (the )?user"
     /* Office 365's card ("ops wasn't found at partner.example"),
      * Exchange 2010's "The e-mail address you entered couldn't be found" */
     "|couldn.?t be delivered\\.? [a-z0-9._%+-]+ wasn.?t found at [a-z0-9-]+\\.[a-z0-9.-]*[a-z0-9]"
     /* its Hebrew ("... ההודעה שלך ל- roni@example.co.il. roni לא נמצא
      * ב-example.co.il"), after the sentence of the undelivered message */
     "|ההודעה שלך [^\\n]{0,120}\\s[a-z0-9._%+-]+ לא נמצא ב-?[a-z0-9-]+\\.[a-z0-9.-]*[a-z0-9]"
     "|(?<!sender.s )(?<!sender )(?<!return )e-?mail address you entered couldn.?t be found"
     "|not an active address|not a local address|recipient is not local"
     "|recipient (does )?not exist|no account by that name|no mail ?box (available|found)"
     "|no mailbox by that name|no matches to nameserver query|account unavailable"
     "|does not have a final e-?mail delivery point"
     "|recipient address rejected: invalid[ -](user|recipient)|recipient refuses to accept"
     "|invalid final delivery userid|unknown or illegal alias"
     /* a leaver's address ("recipient has left the University of ...",
      * "This person is no longer with the company") */
     "|(?<!if )(?<!if the )(?<!if this )(?<!previous )(?<!sending )\\b(recipient|user|addressee"
     "|employee|person|individual) (has left|is no longer (with|employed (at|by|with))) (the|our"
     "|this) (?!(mailing )?(list|group|building)\\b)(?![^.;]{0,80}\\bbut\\b)"
     /* a list server's own delivery program (Mailman's "post script,
      * list not found: x", before the pipe's failure below) */
     "|\\bpost script, list not found\\b|\\bno such (mailing )?list(\\s*[:\"'<.]|\\s*$)"
     "|(宛先|送信先|あて先|送ろうとした)(の)?(e-?mail|メール)?アドレス(「.{1,200}?」は(、)?"
     "登録されていません"
     "|の不一致)|この(メール)?アドレスは登録されていません"
     "|(?<!absenderadresse: )(?<!absender: )niemand unter dieser adresse"
     "|(?<!sender )(?<!address )(?<!from )is not one of our own addresses"
     "|(?<!sender )(?<!from )(?<!sender address )(?<!>: )restricted characters in (the )?address"
     "|resolver\\.adr\\.recipient ?notfound|bad ?rcpt ?to|badrecipientto|validrcptto"
     "|envelope recipient has been denied|email name is not found|no one at this address"
     "|(address|mailbox|account|recipient)\\b.{0,20}no longer valid"
     "|unknown mailbox|missing home directory|unknown virtual user"
     "|nessun utente|no existe (dicha persona|ese usuario)|non-?existent user"
     "|not a valid recipient|destination addresses were unknown"
     "|destination server rejected recipients|\\bdoes not exist\\b"
     "|address not present in directory|(?<!sender )(?<!sender.s )(?<!from )(?<!from: "
     ")(?<!your "
     ")address unknown"
     "|bad-recipient"
     "|mailbox not present|(?<!sender )(?<!from )<[^<>@ ]+@[^<> ]+> not found"
     "|mailbox [^ ]+@[^ @]+ unavailable|in name directory|recipient not ok"
     "|(recipient|user) [^ ]+ was not found|unknown e-?mail address|unknown local-?part"
     "|user not known|\\bdoes(n.?t|n t) exist|\\brcpt \\([^()]{1,254}\\) dosn.?t exist|(?<!your "
     ")(?<!sending )account "
     "(has been )?closed"
     "|user invalid|err\\.nosuchuser|(?<!sender )(?<!from )(?<!failed: )\\buser no found\\b"
     "|bad destination (mailbox|e-?mail) address"
     "|\\b[45][0-9][0-9][ -]([245]\\.[0-9]{1,3}\\.[0-9]{1,3} )?invalid user[.!]?\\s*$"
     "|(?<!sender )(?<!sender.s )(?<!from )(?<!from: )(?<!your )e-?mail add?ress unknown"
     "|recipient is invalid|(?<!sender )(?<!sender's )(?<!from )(?<!from: )(?<!ip )(?<!path )"
     "(address|mailbox) is not valid|(?<!sender )(?<!from )unknown "
     "(destination )?address(?! error)|unknown account|no such account"
     "|the recipient '[^' ]{1,254}' is unknown"
     "|(does not|doesn.?t) have an account|no users? (here )?by that name"
     "|empf(ä|ae)nger unbekannt|(mailbox|postfach) nicht vorhanden|buz(o|ó)n no existe"
     "|cuenta de correo no existe|no tiene (una )?cuenta|utente non esistente"
     "|usu(á|a)rio (n(ã|a)o "
     "existe|inexistente|desconhecido)|收件人(邮件)?(地址|邮箱)?(（x@x）|\\(x@x\\))?不存在"
     "|收件人(並|并)不存在"
     "|user (not found|doesn't exist|does not exist)"
     "|recipient (not found|unknown)|recip(ient)?notfound|unknown recipient"
     "|no mailbox here by that name|(mailbox|address|account) is no longer (in service|valid)"
     "|no longer accepts mail|(account|address) that you tried to reach does not exist"
     "|mailbox (not found|does not exist)"
     "|(address|account|mailbox) does not exist|invalid (recipient|mailbox)"
     "|not a valid (user|mailbox)|addressee unknown|unroute?able address"
     "|recipient address(es)? rejected ?: access denied|no valid recipients? for this "
     "(mm|message)"
     "|recipient name is not recognized|user not exist|doesn't have an? .{0,40}account"
     "|#?5\\.1\\.0 address rejected|recipient address rejected\\.(\\s|$)"
     "|check if (the )?address is correct|wasn.t found at the destination"
     "|(?<!sender )(?<!from )(?<!return-path )address is marked as invalid"
     "|\\bnot in (the )?(valid )?recipient list(?! of)"
     "|address (couldn.t|could not) be "
     "found|アドレスが見つからなかった|メールを受信できないアドレス"
     "|(アドレス|ユーザー|ユーザ|宛先)(が|は)存在しません|宛先不明|宛先が見つかりません"
     "|存在しない(メール)?(アドレス|ユーザー|ユーザ|宛先)"
     "|benutzer unbekannt|unbekannte(r)? (benutzer|empf(ä|ae)nger)"
     "|(empf(ä|ae)nger|adresse|postfach|mailbox) existiert nicht"
     "|(?<![a-z-])(?<!absender: )(?<!from )benutzer (existiert nicht|nicht existiert|nicht "
     "vorhanden)"
     "|(х|Х)эрэглэгч байхгүй"
     "|(utilisateur|destinataire) (inconnu|invalide)|adresse (inconnue|inexistante)"
     "|(adresse|utilisateur|destinataire|compte)[^.\n]{0,40}n.existe pas"
     "|usuario (desconocido|inexistente|no existe)|utente (sconosciuto|inesistente)"
     "|usu(a|á)rio (desconhecido|inexistente)|onbekende gebruiker"
     "|(e-mail-adresse|empf(ä|ae)nger) .{0,60}nicht gefunden|adresse e-mail est introuvable"
     "|l.adresse est introuvable ou ne peut pas recevoir"
     "|destinataire introuvable|no se encontr(o|ó) la direcci(o|ó)n(?! (ip|del remitente))"
     "|(?<!remitente rechazado )porque no se ha encontrado la direcci(o|ó)n\\s*($|[.,]| o )"
     "|(?<!remetente rejeitado )porque o endere(c|ç)o n(a|ã)o foi encontrado\\s*($|[.,])"
     "|impossibile trovare l.indirizzo|endere(c|ç)o de e-?mail n(a|ã)o (foi )?encontrado"
     "|questo indirizzo non esiste|destin(atario|\\.) sconosciuto"
     "|\\b5[0-9][0-9] <[^<>@ ]+@[^<> ]+> not used\\b(?! by)"
     "|(e-?mailadres|ontvanger) .{0,40}niet gevonden"
     "|(п|П)ользовател(ь|я) (не найден|не существует)|нет такого (пользователя|ящика|адреса)"
     "|(т|Т)акого (ящика|пользователя|адреса) нет|(я|Я)щик не существует"
     "|u(ż|z)ytkownik nie istnieje|nieznany u(ż|z)ytkownik|adres nie istnieje"
     "|ok(ä|a)nd mottagare|anv(ä|a)ndaren finns inte|u(ž|z)ivatel neexistuje"
     "|nezn(á|a)m(ý|y) u(ž|z)ivatel|kullan(ı|i)c(ı|i) bulunamad|b(ö|o)yle bir kullan(ı|i)c(ı|i)"
     "|(此)?(用户|用戶|收件人|邮箱|信箱|郵箱)不存在|존재하지 않는 (사용자|계정|주소)"
     "|받는 사람을 찾을 수 없|주소를 찾을 수 없거나 해당 주소에서 메일을 받을 수 없"
     "|(?<!absender )(?<!absender: )(?<!absenders )(?<!host )(?<!hostname )(?<!server )"
     "(?<![@a-z0-9._%+-])[a-z0-9._%+-]{1,64} wurde nicht in "
     "[a-z0-9.-]{1,253}\\.[a-z]{2,63} gefunden"},
    /* A mailbox disabled, in words that may stand beside an unknown
     * user's ("Account closed: sending and receiving disabled"): after
     * those. Not our own account ("the sending account is ..."). */
    {MXB_REASON_MAILBOX_DISABLED,
     "locked (due to|for|because of) (its )?inactivity|(mail )?receiving (is )?disabled"
     "|never logged (on|in)(to)?\\b"
     "|(?<!your )(?<!sender )(?<!sending )(mail ?address|mailbox|address|account)( is)? "
     "administratively disabled"
     /* NIC's "the recipient e-mail Address has been deactivated" */
     "|recipient (e-?mail )?address (has been|is|was) deactivated"},
    {MXB_REASON_TOO_LARGE,
     "message (size )?exceeds|message size exceed\\b|too (large|big)|size limit"
     "|line (length )?limit exceeded|line too long|(maximum )?line length exceeded"
     "|message size exceeded|max(imum)? message size|(inbound|incoming) message size"
     "|(mail|messages?|e-?mails?) larger than"
     "|e-?mail size exceeded"
     "|message length exceeds|taille limite|message (is )?too long(?! in (the "
     ")?queue)|(郵件|邮件)(過大|过大|太大)|dung lượng thư .{0,10}vượt giới hạn"},
    /* The receiver's directory failed or found several mailboxes: its
     * own trouble (before the queue's words that may follow). */
    {MXB_REASON_SYSTEM_ERROR,
     "unable to contact ldap|ldap (server |lookup "
     ")?(error|failure|failed)|郵件系統出錯|邮件系统出错"
     "|too many open files|being used by another process"
     "|(virus|spam) scanner (error|failure|failed|unavailable|not available)"
     "|directory server failure|several matches found"
     "|ambiguous (recipient|address)|address ambiguous"
     "|(spam|virus|content) filter (message )?initiali[sz]ation (failure|failed|error)"
     "|(spam|virus|content) filter (is )?(unavailable|not available)"
     "|can.?t create output|received but (it )?could not be saved|temporary server error"
     "|lowest numbered mx record points to local host|unable to chdir to maildir"
     "|homedir creation|creation of maildir failed|\\bqq (trouble|read error|write error)\\b"
     "|could not be scanned for viruses(?![^\n]{0,80}"
     "(because|contains|encrypted|reject|spam))"},
    {MXB_REASON_EXPIRED, "retry time(out)? (was )?exceeded|message expired|too long in (the )?queue"
                         "|delivery time expired|could not be delivered for|could not deliver for"
                         "|in the queue too long|have not been able to deliver"
                         "|did not accept our requests to connect|failed \\d+ attempts"
                         "|after multiple retries|could not find a gateway"
                         "|failing for a long time|not been collected after|retry time not reached"
                         "|allowed queue period|not delivered within|envelope expired"
                         "|max(imum)? (number of )?(delivery |retry )?attempts (exceeded|reached)"
                         "|exceeded (the )?max(imum)? (number of )?(delivery |retry )?attempts"
                         "|retry limit (exceeded|reached)|retried the max(imum)? (of|number)"
                         "|despite repeated attempts(?![^\n]{0,200}\\b[45][0-9][0-9][ -])"
                         "|tiempo de entrega vencido"
                         "|tried to deliver (the|this|your) message for the last"},
    /* Exchange 4.0-5.5's heading for its Internet Mail Service's errors:
     * the content, unless the IMS line under it says more (too large,
     * above); before the address syntax of "syntax error" below. */
    {MXB_REASON_CONTENT_REJECTED, "syntax error (was )?detected in the content"},
    {MXB_REASON_SENDER_REJECTED,
     "not permitted to relay"
     "|\\bno relaying\\b"
     "|sender (address )?rejected|sender was rejected|bad sender|starttls|tls required"
     "|not configured to relay|purported responsible address|address is not verified"
     "|syntax error|unroutable sender|sender (domain|address) (is )?(invalid|unknown|not)"
     "|from: domain is invalid|after mail from|authentication required|smtp authentication"
     "|policy rejection not logged in|(you are|you.re) not logged in|you must authenticate"
     "|invalidated from address"
     "|not authori[sz]ed to send from (this|that|the) (header )?address|not (the )?same as (the "
     ")?smtp auth(enticated?)? user"
     "|unauthenticated senders?|authrequired|parameter not implemented"
     "|只接收经过身份验证的发件人|只接收經過身分驗證的寄件者"
     "|command not (implemented|recognized)|group you tried to contact"
     "|(don.t|do not) have permissions? to send to|not allowed to send (e-?)?(mail|messages?) to"
     "|not enough privileges? to send|can only accept mails? (come )?from (specified senders"
     "|internal members)|not authori[sz]ed to post|only members of (the|this) (mailing )?list "
     "(are|is) allowed"
     "|not a member of (this|the) (mailing )?list|non-?members?\\b|members[- ]only"
     "|only (subscribers|members) (may|can) post|not allowed to post|malformed address"
     "|in reply to mail from command|administrative prohibition|\\bbatv\\b|backscatter"
     "|third-party dsns|unsigned dsn|returned mail not accepted|bogus mail from"
     "|null sender is not allowed|empty envelope senders|invalid sender|emetteur invalide"
     "|sender email address rejected|sender domain is empty|domain of sender address"
     "|blocked senders|block policy for (envelope|header) from|bad address syntax"
     "|route requires (encryption|tls|high-strength)|incorrect authentication data"
     "|required to send via an encrypted"
     "|configuration is invalid for this certificate"
     "|fully qualified email address required|not owned by user|sender not pre-approved"
     "|senderfilterconfig|list of senders to accept mail from|registered gateway user"
     "|delivery not authorized|access to submit messages|without a valid sender domain"
     "|as a relay|insecure mail relay|not an open relay|unable to relay(?! message back)"
     "|relaying mail to"
     "|relay through this machine|when attempting to send to a non-local|not a gateway"
     "|not local host|don't handle mail for|closed mailing list"
     "|authentication (credentials invalid|failure|is required|turned on)"
     "|'send mail as'|does not advertise auth|client was not authenticated"
     "|cannot achieve exchange server authentication|not in allowed-senders list"
     "|unrecognized command|application-specific password|username and password not accepted"
     "|invalid credentials|log in with your web browser|unrecognized authentication type"
     "|unauthenticated commands|no identity changes permitted|sending denied"
     "|does not support tls|did not offer tls|does not match a verified sender identity"
     "|legitimate bounces are never sent to more than one recipient"
     "|requires (a )?valid sender domain"
     "|not subscribed to ses|angle-brackets nested"
     "|domain missing in source-routed address|expected word or \"<\""
     "|authentication failed; server|not authorized to perform ses:|authentification requise"
     "|code d.authentification invalide|envelope blocked|could not retrieve credentials"
     "|invalid domain, see <url:"
     "|resolver\\.rst\\.notauthorized|\\bauth failed\\b|open relay not allowed"
     "|too much fail authentication|\\bblock-send-er\\b|\\blocal user only\\b"
     "|illegal sender\\b|envelope sender (has been |is )?denied|\\bbadmailfrom\\b"
     "|relay(ing)? (is )?(not allowed|disabled)"
     "|receive your mail before sending|smtp auth is required"
     "|permissions? to send as this sender|sender.s mx record not allowed"
     "|sender is not allowed to send from"
     "|only accepts? (e-?)?mail from (known|approved|certain|authori[sz]ed) senders"
     "|nur e-?mails von bestimmten"},
    /* "virus", but not an anti-virus product's footer on the report
     * ("analizado con NOD32 antivirus", "scanned for viruses", "virus
     * free", "virus scanned") nor its name (InterScan VirusWall, McAfee
     * VirusScan): a relay's scanner adds them to every message it passes,
     * and writes its own notices under its name; an anti-virus that
     * refused says so. */
    {MXB_REASON_CONTENT_REJECTED,
     "spam|(?<!anti)(?<!anti-)(?<!anti )(?<!scanned for )"
     "(?<!checked for )virus(?!(es)? ?-?free)(?! (scanned|checked))(?!wall|scan\\b)"
     "|(rejected|refused|blocked|quarantined|denied) by (an? |the )?"
     "(anti-?virus|virus ?(wall|scan))|anti-?virus\\b.{0,20}(reject|refus|block|found|detect)"
     "|malware|phishing|content rejected|unsolicited"
     "|\\bscored -?[0-9.]+ points|\\bscore (of )?-?[0-9.]+ exceeds"
     "|message content|its content|unacceptable content|policy"
     "|nature of the content|non-?(western|latin)\\b.{0,20}character sets?"
     "|protocol violation"
     "|message (was |has been |is )?(blocked|filtered)"
     "|bulk (e-?mail|mail)|bulk\\.advertising|content filter"
     "|content denied|recurrent pattern|mass mailer"
     "|detected that this message|(prohibited|forbidden|banned|disallowed|dangerous|unsafe"
     "|illegal) (file|attachment)s?\\b|\\battachments? (types? )?(is |are )?(not (allowed"
     "|accepted|permitted)|prohibited|forbidden)|\\bvba macros?\\b|\\bmacros? (found|detected)"
     "|security polic(y|ies)|organizational settings"
     "|images or other attachments|executable (files|attachment)"
     "|due to user rules|recipient preferences|account is protected by"
     "|refuse to receive mail|blocked by the recipient|rejected by (this|the) "
     "(user|recipient)\\b(?!'s| "
     "(domain|server|mail|e-?mail|system|mta|host|database|directory))"
     "|only accepting mail from specific|not accepting mail with"
     "|blocked by (our|the) (spam |content )?filter"
     "|banned content|rejecting (mail )?content|reject, id=\\S+ - (banned|bad.header)\\b"
     "|header value not allowed"
     "|message given low priority|without solving a captcha"
     "|restricted sms e-?mail|gr(e|a)y-?list(ed|ing)?\\b"
     "|host network not allowed|is rejected by recipients|may contain inappropriate "
     "(words|content)|(被|疑似|判定为|识别为|认为是|怀疑为).{0,12}垃圾(邮|郵)件(?!黑名单)"
     "|(为|為)垃圾(邮|郵)件(?!黑名单)|垃圾(邮|郵)件特征"
     "|涉嫌大量群发|\\bsubject (line )?contains (invalid|forbidden|prohibited|banned|blocked"
     "|illegal|bad|disallowed|\\S+ characters)"},
    /* Blocked, and not for what the message said (above) nor because the
     * mailbox is (mailbox_disabled): the sending host is. */
    {MXB_REASON_REPUTATION,
     "(?<!grp\\.)\\bblocked\\b|ブロックされました|\\bbanned\\b|not accepting connections"
     "|after initial connection|after (ehlo|helo)\\b|refused to talk to me"
     "|not allowed to connect|no access from mail server"
     "|confirm this mail server|\\bgo away\\b"
     "|unresolvable relay host name|your server requires confirmation"
     "|sender has not passed validation|\\bdsbl\\b"
     /* A server's own reply that refuses the
      * connection (Vade's "550 5.7.1 Connection
      * refused - OXSUS001_101"): its policy, after
      * an exact status (x.4.x, x.1.1) and the
      * system's words below; a socket's "connect
      * to host: Connection refused" has no reply
      * code, and a relay's x.4.x ("451 4.4.316
      * Connection refused") speaks of its own
      * connection to the next host. */
     "|^[45][0-9][0-9][ -]([245]\\.[0-35-9]\\.[0-9]{1,3} )?connection "
     "refused\\b(?!: resource temporarily)"},
    /* A local delivery program failed (Postfix's pipe(8): "Command died
     * with status 1", "Command output: ... Connection refused"): the
     * receiver's own trouble, whatever network words the program printed;
     * a verdict it printed (above) still decides. */
    {MXB_REASON_SYSTEM_ERROR, "command (failed|output):|command died with status"},
    {MXB_REASON_NETWORK_ERROR,
     "timed out|connection refused|no route to host|network is unreachable"
     "|lost connection|name resolution|dns (error|failure)|host not found, try again"
     "|name service error|hop count exceeded|too many hops|exceeded \\d+ hops|routing loop"
     "|forwarding loop count|network error"
     "|(host|server|destination) (is )?(not reachable|unreachable)"
     "|connection (dropped|reset)|dropped by remote host|could not connect and send"
     "|connection died|handle timeout|tls connect failed"
     "|dns records for the destination|host name lookup failure|mail forwarding loop"
     "|message looping|unable to resolve route|had no relevant answers|address family mismatch"
     "|could not retrieve source address|dns lookup failed|(?<!mail )loop detected|maximum hop "
     "count"
     "|no valid route to|wasn't able to establish an smtp connection"
     "|listed as a best-preference mx|temporary failure in mx lookup|bad dns lookup"
     "|temporary problem looking up|\\bi/o timeout\\b"
     "|all routes to destination|too many .?received.? headers"
     "|server did not respond|no valid mx hosts? found|connection timeout"
     "|connect to (the )?\"?[^\" ]{1,255}\"? server failed(?![^\n]{0,20}\\b[245][0-9][0-9][ -])"
     "|连接收件方邮件系统失败|tried all mxs|unable to connect to (the )?mx"
     "|name server timeout|did not properly respond|(host|server) has failed to respond"},
    {MXB_REASON_SYSTEM_ERROR, "system error|internal error|local error|mail loop|loops back"
                              "|temporarily unavailable|service unavailable|mailer error"
                              "|currently unavailable|server (is )?(too )?busy"
                              "|loop broken|create user output file|could not load drd"
                              "|operation now in progress|interrupted system call"
                              "|error while being processed|config(uration)? error|misconfigured"
                              "|temporary local problem|queue file write error"
                              "|unable to relay message back to mta|rejected by next-hop mta"
                              "|timeout waiting for input"
                              "|duplicated message-id|loop (alert|back warning)"
                              "|temporary system problem|loop was found|temporary mta failure"
                              "|lmtp error after|dns violates rfc ?1035|bad interpreter"
                              "|delivery to (file|pipe) forbidden|local delivery failed"
                              "|bin/(maildrop|procmail)|procmail:"
                              "|pipe to \\|"
                              "|connecting to myself|licen(c|s)e (has )?expired"
                              "|does not allow external forwarding"},
    /* Last: qmail's "does not like recipient." heads the remote server's
     * own words, which decide when a rule above knows them. */
    /* Postfix's answer to DATA when every RCPT was refused ("554 5.5.1
     * Error: no valid recipients", Gmail's "(state 15)"): why they were
     * refused (an unknown user, a blocklist, greylisting) was said at
     * RCPT, not here. */
    {MXB_REASON_UNDETERMINED, "no valid recipients?\\b(?! (from|for this))"},
    /* RFC 5321's stock text for 550 ("Requested action not taken:
     * mailbox unavailable") is followed by the server's own words when it
     * has any ("... Your IP address is blocked", "... Spam detected"):
     * it decides only when no rule above knows them. */
    {MXB_REASON_USER_UNKNOWN, "mailbox (is )?(unavailable|not available)"
                              "(?!.{0,60}(try again|later|at the moment|temporar|currently))"},
    {MXB_REASON_USER_UNKNOWN, "does not like recipient"},
    /* A bare refusal of us ("521 access denied", Juno's "550 Access
     * denied...<hex>... (throttled)": the words right after the reply
     * code): the sending side's standing. Not with a status
     * (Microsoft's "550 5.7.500 Access denied", a mail flow rule's), other
     * words ("Recipient address rejected: Access denied", QQ's "Mailbox
     * unavailable or access denied") or an address (Sendmail's "<a@b>...
     * Access denied", whose address says whom it refused: echo_phase) */
    {MXB_REASON_REPUTATION,
     "(^|said: )[45][0-9][0-9][ -]access denied\\b(?![^\\n]{0,40}\\b(recipient"
     "|user|mailbox|address|account)\\b)"},
};

/*
 * Providers whose words mean other than they say (step 0, by the
 * recipient's domain, before everything else). KDDI (au, ezweb.ne.jp)
 * answers "550 : User unknown", with no address, after DATA when the
 * recipient's own filter refuses the sender's domain; an address it does
 * not know gets "550 <address>: User unknown". The first address is
 * alive: content_rejected (Sisimai's "filtered"), never hard.
 */
static const struct {
    const char *domain, *pattern;
    mxb_reason reason;
} provider_words[] = {
    {"ezweb.ne.jp", "\\b550:? : user unknown", MXB_REASON_CONTENT_REJECTED},
    {"au.com", "\\b550:? : user unknown", MXB_REASON_CONTENT_REJECTED},
};

/*
 * Providers' own error codes, published on their postmaster pages, found
 * anywhere in the words (step 0, after provider_words[]). A code says
 * more than the generic reply around it ("550 5.5.0 Service refuse ...
 * LPN001_108" is no protocol error): Orange and La Poste (OFR..._nnn,
 * LPN..._nnn), Cox (AUP#CXBL, IPBL0001, ...), Comcast (BL000000, the
 * sending host listed; RL000001, its rate), Charter/Spectrum
 * (AUP#In-1310), GoDaddy (IB103), I.UA (".i.ua/err/2"), Facebook
 * ("550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes"),
 * and Exchange 2000/2003's IMS codes ("MSEXCH:IMS:... (000C05A6)
 * Unknown Recipient"). Codes that only say "refused, try later" are
 * undetermined; codes of several meanings are left to the words.
 */
#define ORANGE "\\b(ofr|lpn|ouk)[0-9a-z]{0,4}_?"
#define SPECTRUM "\\baup#(in?|out)-"
#define IUA "\\.i\\.ua/err/0?"
#define MSEXCH "msexch:[^()]{0,120}\\("
/* Sophos Central Email's codes ("550 5.7.1 XGEMAIL_0011 Command
 * rejected": the recipient does not exist in the protected domain) */
#define SOPHOS "\\bxgemail_00"
/* Yahoo's (and the domains it hosts: AT&T, Frontier, Rogers...) answers
 * for a mailbox it does not have, given at the end of DATA: "554
 * delivery error: dd This user doesn't have a yahoo.com account", "552 1
 * Requested mail action aborted, mailbox not found" */
#define YAHOO                                                                                      \
    "\\bdelivery error: dd this user doesn.t have an? [a-z0-9.-]{1,64} account"                    \
    "|\\b552 1 requested mail action aborted, mailbox not found"                                   \
    "|\\bdelivery error: dd [^ ]{1,254} is no longer valid"
/* mail.ru's (inbox.ru, list.ru, bk.ru) answer for a mailbox it does not
 * have, given at the end of DATA too */
#define MAILRU                                                                                     \
    "\\bmessage was not accepted -- invalid mailbox(?!.{0,160}\\b(disabled|blocked|frozen)\\b)"
/* Facebook's codes, "RCP-P2": written from the dash, so that the union of
 * all codes (provider_code_any) is tried only where a dash stands, not at
 * every r, p, m or d of the text; a word of their own (after a space, a
 * bracket or a colon), not the end of a host name ("smtp-int-p1.example") */
#define FB(codes) "-[pt][0-9]\\b(?<=[\\s(\\[:]" codes ")"
/* NetEase's (163.com, 126.com, yeah.net) codes, "550 MI:SPB", written
 * from the colon like Facebook's: group:detail, both of their list */
#define NETEASE(codes) ":[a-z]{3}\\b(?<=\\b" codes ")"
static const struct {
    mxb_reason reason;
    const char *pattern;
    gboolean after_data; /* the verdict stands at the end of DATA too */
} provider_codes[] = {
    {MXB_REASON_USER_UNKNOWN, YAHOO "|" MAILRU, TRUE},
    {MXB_REASON_USER_UNKNOWN,
     ORANGE "(416|418)\\b|" IUA "2\\b|" FB("(rcp-p1|int-p[134])") "|" MSEXCH "000c05a6\\)"
                                                                  "|" SOPHOS "11\\b",
     FALSE},
    {MXB_REASON_MAILBOX_FULL, ORANGE "417\\b|" IUA "4\\b", FALSE},
    {MXB_REASON_MAILBOX_DISABLED, ORANGE "(420|426)\\b|" IUA "3\\b|" FB("rcp-t4"), FALSE},
    {MXB_REASON_TOO_LARGE,
     ORANGE "514\\b|" SPECTRUM "1530\\b|" FB("(msg-p1|int-p2)") "|" SOPHOS "12\\b", FALSE},
    {MXB_REASON_SYSTEM_ERROR,
     ORANGE "505\\b|" SPECTRUM "1090\\b|\\bib101\\b"
            "|" FB("(con|rcp)-t1") "|" MSEXCH "(000c0595|000d06b5)\\)|\\bno proxy for recipient\\b"
                                   "|" SOPHOS "07\\b",
     FALSE},
    {MXB_REASON_NETWORK_ERROR, SPECTRUM "1260\\b|" MSEXCH "00120270\\)", FALSE},
    {MXB_REASON_REPUTATION,
     ORANGE "(101|102|103|510|630|999)\\b|" SPECTRUM "(1000|11[0-4][0-9]|1150|12[0-4][0-9]|1250)\\b"
            "|\\b(aup#)?(cxbl|cdrbl|cxdns)\\b|\\bipbl[01]{4,5}\\b|\\bbl0[01]{5}\\b"
            "|\\bib(10[3-6]|108|11[0-3])\\b|" IUA "(7|9)\\b|" SOPHOS "0[45]\\b"
            "|" FB("(pol-p[1-4]|pol-t[1-3]|dns-p3|dns-t2)") "|" NETEASE(
                "(hl:(rep|mep|ihu|ipb)|wm:bli|mi:nhd)")
     /* AOL's codes: "554 5.7.1 : (RTR:BB)", "521 5.2.1 : (CON:B1)" */
     "|\\((rtr:(bb|bl|rd|ge|du|sc|ch|bg)|rly:(b[123]|bl|nw|ob|ir)|con:b1|dyn:t1|hvu:b1)\\)",
     FALSE},
    {MXB_REASON_CONTENT_REJECTED,
     ORANGE "506\\b|" SPECTRUM "(11[6-8][0-9]|1190|1560)\\b"
            "|\\burlbl[01]{3,4}\\b|\\bib(212|705)\\b|" IUA "10\\b"
            "|" FB("(rcp-p[23]|msg-p[23]|pol-p[5-7])") "|" MSEXCH "(00050311|000502cc)\\)",
     FALSE},
    {MXB_REASON_AUTH_FAILURE,
     ORANGE "(401|517)\\b|\\bib508\\b|" NETEASE("(mi:dma|dt:sum)") "|" SOPHOS "0[123]\\b", FALSE},
    {MXB_REASON_RATE_LIMITED,
     ORANGE
     "104\\b|" SPECTRUM "(1[34][0-8][0-9]|1490|1540|1550)\\b"
     "|\\b(aup#)?cx(cnct|mxrt)\\b|\\bib(007|504|510|607)\\b|\\brl0[01]{5}\\b"
     "|" IUA "5\\b|" SOPHOS "1[345]\\b|" FB(
         "(con-t[234]|msg-t1)") "|" MSEXCH "00010256\\)"
                                "|" NETEASE("(hl:(icc|ifc)|mi:(dmc|sfq|stc)|rp:(drc|qrc|rcl|trc))"),
     FALSE},
    {MXB_REASON_SENDER_REJECTED,
     ORANGE "(305|402|403|405|415|421)\\b|" SPECTRUM "(1010|10[2-7][0-9]|1080|1500|1520)\\b"
            "|\\b(aup#)?cx(thrt|mj|sndr|smtp)\\b|\\bib(401|501|502|506)\\b|" IUA "(1|6|8)\\b"
            "|" SOPHOS "(06|08|09|10)\\b"
            "|" FB("(dns-p[12]|dns-t1)") "|" MSEXCH "000b0981\\)"
                                         "|" NETEASE("(mi:(cel|imf|spb)|rp:frl|wm:blu)"),
     FALSE},
    {MXB_REASON_UNDETERMINED, ORANGE "(105|107|108|109|201|423|424|513)\\b", FALSE},
};
#undef ORANGE
#undef SPECTRUM
#undef IUA
#undef MSEXCH
#undef SOPHOS
#undef YAHOO
#undef MAILRU
#undef FB
#undef NETEASE

/* Every pattern above has a slot, in this order (the order of the blob
 * that rules-blob-gen.c writes): the text rules, the provider words, the
 * provider codes one by one, all codes in one (most words have no code,
 * so one match says so), the SMTP phase, Sendmail's echo of an address;
 * then nonstandard.c's subject patterns (mxb_pattern). */

/* Sendmail starts its reply with the address the command concerned:
 * "550 5.7.1 <a@b>... Access denied" (echo_phase). The domain has no '@':
 * with one, every '@' of a run of them was a split whose domain read the
 * rest of the run (2,000 bytes of "<@@@...", 500 recipients: 10 s). */
#define MXB_ECHO_WORDS "<[^<>\\s]+@[^<>\\s@]+>\\.\\.\\."

enum {
    SLOT_TEXT = 0,
    SLOT_WORDS = SLOT_TEXT + G_N_ELEMENTS(text_rules),
    SLOT_CODES = SLOT_WORDS + G_N_ELEMENTS(provider_words),
    SLOT_CODE_ANY = SLOT_CODES + G_N_ELEMENTS(provider_codes),
    SLOT_PHASE,
    SLOT_ECHO,
    SLOT_PATTERNS, /* nonstandard.c's, mxb_pattern */
    SLOT_COUNT = SLOT_PATTERNS + MXB_PATTERN_COUNT
};

/* A slot's compiled codes: the alternatives of its pattern (from the
 * blob), or the pattern whole (rx.h) */
typedef struct {
    pcre2_code **codes;
    size_t n;
} rule_codes;

static rule_codes *slot_codes[SLOT_COUNT];
static gboolean precompiled = TRUE; /* set once, before any rule is used */
static gboolean blob_used;

void mxb_classify_set_precompiled(gboolean on)
{
    precompiled = on;
}

gboolean mxb_classify_precompiled(void)
{
    return g_atomic_int_get(&blob_used);
}

size_t mxb_rule_pattern_count(void)
{
    return SLOT_COUNT;
}

/* code_union - the union of provider_codes[], built once */
static const char *code_union(void)
{
    static char *any;

    if (g_once_init_enter(&any)) {
        GString *s = g_string_new(NULL);
        for (size_t i = 0; i < G_N_ELEMENTS(provider_codes); i++)
            g_string_append_printf(s, "%s(?:%s)", i ? "|" : "", provider_codes[i].pattern);
        g_once_init_leave(&any, g_string_free(s, FALSE));
    }
    return any;
}

const char *mxb_rule_pattern(size_t slot, gboolean *split, gboolean *utf8)
{
    if (split != NULL)
        *split = slot != SLOT_PHASE; /* the phase's words are read */
    if (utf8 != NULL)
        *utf8 = slot >= SLOT_PATTERNS;
    if (slot >= SLOT_PATTERNS)
        return mxb_pattern_text((mxb_pattern)(slot - SLOT_PATTERNS));
    if (slot < SLOT_WORDS)
        return text_rules[slot - SLOT_TEXT].pattern;
    if (slot < SLOT_CODES)
        return provider_words[slot - SLOT_WORDS].pattern;
    if (slot < SLOT_CODE_ANY)
        return provider_codes[slot - SLOT_CODES].pattern;
    if (slot == SLOT_CODE_ANY)
        return code_union();
    if (slot == SLOT_ECHO)
        return MXB_ECHO_WORDS;
    g_assert(slot == SLOT_PHASE);
    return MXB_PHASE_WORDS;
}

/* rule_codes_of - a slot's codes, made the first time a text reaches it,
 * once per process: decoded from the blob; or else, when the process asked
 * for the JIT or the blob was made by another PCRE2 (rx.h), the pattern
 * compiled whole (and by the JIT, when asked). A process that classifies
 * one message decodes only the rules its texts try: those up to the first
 * match. */
static const rule_codes *rule_codes_of(size_t slot)
{
    if (g_once_init_enter(&slot_codes[slot])) {
        rule_codes *rc = g_new0(rule_codes, 1);
        if (precompiled && !optimized() && mxb_rules_blob_slots == SLOT_COUNT) {
            rc->n = mxb_rules_blob_codes[slot];
            rc->codes = mxb_rx_decode(mxb_rules_blob[slot], mxb_rules_blob_size[slot], rc->n);
        }
        if (rc->codes != NULL) {
            g_atomic_int_set(&blob_used, TRUE);
        } else {
            rc->n = 1;
            rc->codes = g_new(pcre2_code *, 1);
            gboolean utf8 = FALSE;
            const char *pattern = mxb_rule_pattern(slot, NULL, &utf8);
            /* the phase, read within a bound (mxb_phase_within) */
            rc->codes[0] =
                mxb_rx_compile_with(pattern, utf8, slot == SLOT_PHASE ? PCRE2_USE_OFFSET_LIMIT : 0);
            if (optimized()) /* interpreted if it fails, as GRegex */
                pcre2_jit_compile(rc->codes[0], PCRE2_JIT_COMPLETE);
        }
        g_once_init_leave(&slot_codes[slot], rc);
    }
    return slot_codes[slot];
}

static rule_codes *slot_pieces[SLOT_COUNT];

/* pieces_of - a slot's pieces decoded from the blob, once per process,
 * for the prefilter's answers (rx.h); NULL when the blob is not used */
static const rule_codes *pieces_of(size_t slot)
{
    if (g_once_init_enter(&slot_pieces[slot])) {
        rule_codes *rc = g_new0(rule_codes, 1);
        if (precompiled && mxb_rules_blob_slots == SLOT_COUNT) {
            rc->n = mxb_rules_blob_codes[slot];
            rc->codes = mxb_rx_decode(mxb_rules_blob[slot], mxb_rules_blob_size[slot], rc->n);
        }
        if (rc->codes != NULL)
            g_atomic_int_set(&blob_used, TRUE);
        g_once_init_leave(&slot_pieces[slot], rc);
    }
    return slot_pieces[slot]->codes != NULL ? slot_pieces[slot] : NULL;
}

/* prefiltered - step one of rule_match in a process that asked for the
 * JIT: -1 when the prefilter has no answer for the slot and text (rx.h);
 * else 1 when a piece it names matches (tried alone, from the blob), 0
 * when none does; and without the blob's pieces, 0 when it names none
 * and -1 (the rule whole decides) when it names some */
static int prefiltered(size_t slot, const char *text, size_t *start, size_t *end)
{
    if (prefilter_read == NULL || mxb_rules_blob_slots != SLOT_COUNT ||
        !mxb_rules_prefilter_slots[slot])
        return -1;
    const guint64 *maybe = prefilter_read(text);
    if (maybe == NULL)
        return -1;
    const rule_codes *pc = pieces_of(slot);
    size_t first = mxb_rules_prefilter_first[slot];
    for (size_t i = 0; i < mxb_rules_blob_codes[slot]; i++) {
        if (!mxb_prefilter_bit(maybe, first + i))
            continue;
        if (pc == NULL)
            return -1;
        if (mxb_rx_match(pc->codes[i], text, start, end))
            return 1;
    }
    return 0;
}

/* rule_match - whether text matches a slot's rule: one of its codes; the
 * whole match in *start, *end when they are not NULL (the phase, kept
 * whole) */
static gboolean rule_match(size_t slot, const char *text, size_t *start, size_t *end)
{
    /* A process that classifies many messages first asks the prefilter */
    if (optimized()) {
        int verdict = prefiltered(slot, text, start, end);
        if (verdict >= 0)
            return verdict;
    }
    const rule_codes *rc = rule_codes_of(slot);

    for (size_t i = 0; i < rc->n; i++)
        if (mxb_rx_match(rc->codes[i], text, start, end))
            return TRUE;
    return FALSE;
}

int mxb_rule_pieces(size_t slot)
{
    const rule_codes *pc = slot < SLOT_COUNT ? pieces_of(slot) : NULL;

    return pc != NULL ? (int)pc->n : -1;
}

gboolean mxb_rule_piece_match(size_t slot, size_t piece, const char *text)
{
    g_assert(slot < SLOT_COUNT);
    const rule_codes *pc = pieces_of(slot);

    g_assert(pc != NULL && piece < pc->n);
    return mxb_rx_match(pc->codes[piece], text, NULL, NULL);
}

gboolean mxb_rule_whole_match(size_t slot, const char *text)
{
    g_assert(slot < SLOT_COUNT);
    const rule_codes *rc = rule_codes_of(slot);

    for (size_t i = 0; i < rc->n; i++)
        if (mxb_rx_match(rc->codes[i], text, NULL, NULL))
            return TRUE;
    return FALSE;
}

gboolean mxb_pattern_match(mxb_pattern p, const char *text)
{
    if (text == NULL)
        return FALSE;
    /* The patterns read UTF-8, and PCRE2 matches nothing in a text that
     * is not: a stray byte, or a character a read cut in two, becomes
     * U+FFFD first. */
    if (!g_utf8_validate(text, -1, NULL)) {
        g_autofree char *valid = g_utf8_make_valid(text, -1);
        return rule_match(SLOT_PATTERNS + (size_t)p, valid, NULL, NULL);
    }
    return rule_match(SLOT_PATTERNS + (size_t)p, text, NULL, NULL);
}

/* plain_quotes - text with the typographic single quotes (U+2018, U+2019)
 * that Microsoft's reports use ("wasn’t found") made ASCII, so that the
 * rules spell an apostrophe one way; NULL when there is none. Owned by
 * caller. */
static char *plain_quotes(const char *text)
{
    static GRegex *re;

    if (strstr(text, "\xe2\x80\x98") == NULL && strstr(text, "\xe2\x80\x99") == NULL)
        return NULL;
    if (g_once_init_enter(&re)) {
        GRegex *r = g_regex_new("\\xe2\\x80[\\x98\\x99]", G_REGEX_RAW, 0, NULL);
        g_assert(r != NULL); /* ours */
        g_once_init_leave(&re, r);
    }
    return g_regex_replace_literal(re, text, -1, 0, "'", 0, NULL);
}

/* reply_prefix_len - length of "550-" or "550-5.7.1 " at p (a reply code
 * and its continuation mark, and the status after it), else 0; *status_len
 * is the status's length with its space, 0 without one */
static size_t reply_prefix_len(const char *p, size_t *status_len)
{
    size_t n = 0;

    if (p[0] < '2' || p[0] > '5' || !g_ascii_isdigit(p[1]) || !g_ascii_isdigit(p[2]) ||
        (p[3] != '-' && p[3] != ' '))
        return 0;
    if (p[4] >= '2' && p[4] <= '5' && p[5] == '.') {
        const char *q = p + 6;
        while (g_ascii_isdigit(*q))
            q++;
        if (q > p + 6 && *q == '.' && g_ascii_isdigit(q[1])) {
            q++;
            while (g_ascii_isdigit(*q))
                q++;
            if (*q == ' ')
                n = (size_t)(q + 1 - (p + 4));
        }
    }
    *status_len = n;
    return 4 + n;
}

/* unwrap_reply - a multi-line SMTP reply joined into one line repeats its
 * code on every line ("550-5.7.1 Messages with multiple 550-5.7.1
 * addresses in From: header"); the repeats after the first line are
 * dropped, so that the words of a rule meet again. Only a reply whose
 * first code is followed by "-" (more lines follow) is unwrapped. NULL
 * when there is nothing to drop; owned by caller. */
static char *unwrap_reply(const char *text)
{
    const char *first = NULL;
    size_t status_len = 0;

    for (const char *p = text; *p && first == NULL; p++)
        if ((p == text || g_ascii_isspace(p[-1])) && reply_prefix_len(p, &status_len) > 0)
            first = p;
    if (first == NULL || first[3] != '-')
        return NULL;
    size_t head = reply_prefix_len(first, &status_len);
    GString *out = g_string_new_len(text, first + head - text);
    gboolean dropped = FALSE;
    for (const char *p = first + head; *p; p++) {
        size_t sl = 0, n;
        if (g_ascii_isspace(p[-1]) && (n = reply_prefix_len(p, &sl)) > 0 &&
            memcmp(p, first, 3) == 0 && sl == status_len &&
            memcmp(p + 4, first + 4, status_len) == 0) {
            p += n - 1; /* the loop's p++ steps past it */
            dropped = TRUE;
            continue;
        }
        g_string_append_c(out, *p);
    }
    if (!dropped) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

/* mask_addresses - each mail address in text written "x@x" (no word a
 * rule knows: "x@x.invalid" read "invalid" into "a@b domain rejected"):
 * its local part or domain ("spam@", "dmarc@", "blocked.example") is no
 * verdict, and the rules that read an address ("<a@b> not found") still
 * see one; NULL when text names none. Owned by caller. */
static GRegex *address_regex(void)
{
    static GRegex *re; /* once per process */

    if (g_once_init_enter(&re)) {
        /* Bounded runs: a long run of address characters without an @
         * costs 64 steps a position, not its length. */
        GRegex *x = g_regex_new(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}[A-Za-z0-9.-]{0,190}",
            G_REGEX_RAW | mxb_regex_optimize(), 0, NULL);
        g_assert(x != NULL); /* ours */
        g_once_init_leave(&re, x);
    }
    return re;
}

static char *mask_addresses(const char *text)
{
    if (strchr(text, '@') == NULL)
        return NULL;
    return g_regex_replace_literal(address_regex(), text, -1, 0, "x@x", 0, NULL);
}

/* names_another - the words name an address other than the recipient
 * (mail.ru's "Local mailbox b@mail.ru is unavailable", given once for a
 * message to several); FALSE when the recipient is not known */
static gboolean names_another(const char *text, const char *recipient)
{
    GMatchInfo *mi = NULL;
    gboolean other = FALSE;

    if (text == NULL || recipient == NULL || strchr(text, '@') == NULL)
        return FALSE;
    g_regex_match(address_regex(), text, 0, &mi);
    for (; !other && g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
        g_autofree char *a = g_match_info_fetch(mi, 0);
        other = g_ascii_strcasecmp(a, recipient) != 0;
    }
    g_match_info_free(mi);
    return other;
}

/* rules_text - the text the rules read: quotes made plain, a multi-line
 * reply unwrapped, addresses masked; NULL when that is the text itself.
 * Owned by caller. */
static char *rules_text(const char *text)
{
    g_autofree char *plain = plain_quotes(text);
    g_autofree char *unwrapped = unwrap_reply(plain ? plain : text);
    const char *now = unwrapped ? unwrapped : plain ? plain : text;
    char *masked = mask_addresses(now);

    if (masked != NULL)
        return masked;
    return unwrapped ? g_steal_pointer(&unwrapped) : g_steal_pointer(&plain);
}

/* match_rules - the first of text_rules[from .. to) that matches text
 * (already through rules_text) */
static mxb_reason match_rules(const char *text, size_t from, size_t to)
{
    if (text == NULL || *text == '\0')
        return MXB_REASON_NONE;
    for (size_t i = from; i < to; i++)
        if (rule_match(SLOT_TEXT + i, text, NULL, NULL))
            return text_rules[i].reason;
    return MXB_REASON_NONE;
}

/* The phase each kind of words names, tried in this order on what follows
 * "after" or "reply to" (or on all of it): qmail's sentences first, then
 * the command names ("end of data" before "data"). */
static const struct {
    const char *words;
    mxb_phase phase;
} phase_names[] = {
    {"sent the message", MXB_PHASE_END_OF_DATA}, /* qmail */
    {"sender was rejected", MXB_PHASE_MAIL},     /* qmail */
    {"greeting", MXB_PHASE_CONNECT},             /* qmail */
    {"my name", MXB_PHASE_HELO},                 /* qmail */
    {"end", MXB_PHASE_END_OF_DATA},
    {"data", MXB_PHASE_DATA},
    {"rcpt", MXB_PHASE_RCPT},
    {"mail", MXB_PHASE_MAIL},
    {"ehlo", MXB_PHASE_HELO},
    {"helo", MXB_PHASE_HELO},
    {"lhlo", MXB_PHASE_HELO},
    {"initial", MXB_PHASE_CONNECT},
};

/* mxb_phase_of - the phase that words matched by MXB_PHASE_WORDS name */
mxb_phase mxb_phase_of(const char *words)
{
    g_autofree char *low = g_ascii_strdown(words, -1);
    const char *w = strstr(low, "after");

    if (w == NULL)
        w = strstr(low, "reply to");
    if (w == NULL)
        w = low;
    for (size_t i = 0; i < G_N_ELEMENTS(phase_names); i++)
        if (strstr(w, phase_names[i].words) != NULL)
            return phase_names[i].phase;
    return MXB_PHASE_UNKNOWN;
}

mxb_phase mxb_phase_within(const char *text, size_t limit)
{
    const rule_codes *rc = rule_codes_of(SLOT_PHASE);
    size_t start = 0, end = 0;
    gboolean found = FALSE;

    /* Not through the prefilter, which would scan the whole text: PCRE2
     * tries no start past limit (a report of 500 unknown users, one
     * paragraph each and no phase, read each recipient's rest of the
     * text to its end) */
    for (size_t i = 0; text != NULL && i < rc->n && !found; i++)
        found = mxb_rx_match_within(rc->codes[i], text, limit, &start, &end);
    if (!found)
        return MXB_PHASE_UNKNOWN;
    g_autofree char *words = g_strndup(text + start, end - start);
    return mxb_phase_of(words);
}

/* phase_in - the phase the diagnostic itself names (MXB_PHASE_WORDS:
 * Postfix's "(in reply to end of DATA command)", Exim's "after end of
 * data"), or MXB_PHASE_UNKNOWN. Not Sendmail's ">>> DATA", which its
 * pipelining shows above RCPT-time refusals too. */
static mxb_phase phase_in(const char *text)
{
    return mxb_phase_within(text, PCRE2_UNSET);
}

/* echo_phase - MAIL FROM, when Sendmail's reply echoes an address
 * ("550 5.7.1 <a@b>... Access denied") and the recipient's is nowhere in
 * the words: the only other address of the transaction is the envelope
 * sender's. MXB_PHASE_UNKNOWN otherwise. */
static mxb_phase echo_phase(const char *text, const char *recipient)
{
    if (text == NULL || recipient == NULL || *recipient == '\0' ||
        !rule_match(SLOT_ECHO, text, NULL, NULL))
        return MXB_PHASE_UNKNOWN;
    g_autofree char *low = g_ascii_strdown(text, -1);
    g_autofree char *rcpt = g_ascii_strdown(recipient, -1);
    return strstr(low, rcpt) == NULL ? MXB_PHASE_MAIL : MXB_PHASE_UNKNOWN;
}

/* phase_reason - step 2b: a refusal before the envelope was complete,
 * when no words decided: at the greeting or EHLO it is the sending host
 * (reputation), at MAIL FROM our sender (sender_rejected). Later phases
 * say nothing by themselves. */
static mxb_reason phase_reason(mxb_phase phase)
{
    switch (phase) {
    case MXB_PHASE_CONNECT:
    case MXB_PHASE_HELO:
        return MXB_REASON_REPUTATION;
    case MXB_PHASE_MAIL:
        return MXB_REASON_SENDER_REJECTED;
    default:
        return MXB_REASON_NONE;
    }
}

/* reporter_status - the status is the reporter's Status field alone, and
 * the server's reply it reports (a reply code) carries no status */
static gboolean reporter_status(const mxb_result *r)
{
    char code[12];

    return r->field_status == NULL && r->status != NULL && r->smtp_code != 0 &&
           r->diagnostic != NULL && !mxb_status_find(r->diagnostic, code);
}

/* lookup_elsewhere - the text names the DNS name whose lookup failed
 * (Postfix: "Name service error for name=relay.example type=A: Host not
 * found"; MDaemon's transcript: "Resolving A record for [relay.example]
 * ... Name server reports domain name unknown", the last lookup it names
 * before those words)
 * and it is not the recipient's domain: a relay's name or an MX host's,
 * which says nothing certain of the recipient's domain */
static gboolean lookup_elsewhere(const char *text, const char *recipient)
{
    static const char *const lookups[] = {"error for name=", " record for [", " records for [",
                                          "' lookup of ", "the host '"};
    const char *at = recipient ? strrchr(recipient, '@') : NULL;

    if (text == NULL || at == NULL || at[1] == '\0')
        return FALSE;
    g_autofree char *low = g_ascii_strdown(text, -1);
    /* MDaemon's verdict ends the lookups it may be about */
    const char *verdict = strstr(low, "name server reports domain name unknown");
    const char *n = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(lookups); i++) {
        size_t ln = strlen(lookups[i]);
        for (const char *p = strstr(low, lookups[i]); p != NULL && (verdict == NULL || p < verdict);
             p = strstr(p + ln, lookups[i]))
            if (n == NULL || p + ln > n)
                n = p + ln;
    }
    if (n == NULL)
        return FALSE;
    size_t len = strcspn(n, " \t;,:()<>[]'");
    while (len > 0 && n[len - 1] == '.')
        len--;
    /* The recipient's domain as DNS writes it (an IDN's A-label). */
    g_autofree char *ace = g_hostname_to_ascii(at + 1);
    g_autofree char *dom = g_ascii_strdown(ace ? ace : at + 1, -1);
    size_t dl = strlen(dom);
    while (dl > 0 && dom[dl - 1] == '.')
        dl--;
    return len > 0 && !(len == dl && memcmp(n, dom, len) == 0);
}

/* The words say a DNS name does not exist: "553 sender.example does not
 * exist", "Domain <sender.example> does not exist", "No such domain:
 * sender.example", "sender.example: unknown domain", Gmail's "the domain
 * sender.example couldn't be found" (and its Spanish "no se ha encontrado
 * el dominio sender.example"). A name, not an
 * address (no '@' or other address character before it, nor a byte of a
 * UTF-8 name); its labels bounded so a long run costs no more than its
 * length. Group 1 or 2 is a name before the words, 3 or 4 one after them. */
#define MISSING_NAME "((?:[a-z0-9_-]{1,63}\\.){1,20}[a-z]{2,63})"
#define MISSING_NOT_ADDRESS "(?<![@A-Za-z0-9._%+=\\x80-\\xff-])"
#define MISSING_DOMAIN_WORDS                                                                       \
    "(?:no\\s+such\\s+domain|domain\\s+not\\s+found|unknown\\s+domain|no\\s+mx\\s+for"             \
    "|can.?t\\s+find\\s+an\\s+mx\\s+server\\s+for|no\\s+se\\s+ha\\s+encontrado\\s+el\\s+dominio)"
static GRegex *missing_name_regex(void)
{
    static GRegex *re; /* once per process */

    if (g_once_init_enter(&re)) {
        GRegex *x = g_regex_new(
            MISSING_NOT_ADDRESS MISSING_NAME
            ">?\\.?\\s+(?:does\\s+not|doesn't|did\\s+not)\\s+exist"
            "|" MISSING_NOT_ADDRESS MISSING_NAME ">?\\.?:\\s*" MISSING_DOMAIN_WORDS
            "|" MISSING_DOMAIN_WORDS "\\s*[:=]?\\s*<?" MISSING_NAME "(?!\\.?[A-Za-z0-9_@-])"
            "|\\bthe\\s+(?:domain|host\\s+named)\\s+<?" MISSING_NAME
            ">?[.,:]?\\s+(?:(?:couldn.?t|could\\s+not|can.?t|cannot)\\s+be\\s+found"
            "|does(?:n.?t|\\s+not)\\s+have\\s+any\\s+mx)",
            G_REGEX_CASELESS | G_REGEX_RAW | mxb_regex_optimize(), 0, NULL);
        g_assert(x != NULL); /* ours */
        g_once_init_leave(&re, x);
    }
    return re;
}

/* mxb_same_or_parent - whether DNS names a and b (a: len bytes) are equal, or
 * one is a subdomain of the other, ignoring case */
gboolean mxb_same_or_parent(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    const char *lo = alen <= blen ? a : b, *hi = alen <= blen ? b : a;
    size_t ll = MIN(alen, blen), hl = MAX(alen, blen);

    return g_ascii_strncasecmp(hi + (hl - ll), lo, ll) == 0 && (hl == ll || hi[hl - ll - 1] == '.');
}

/* holds_domain - whether DNS name (len bytes) holds dom as whole labels:
 * dom itself, a subdomain of it, a parent of it, or a name that goes on
 * from it ("example.jp.mail.protection.outlook.com", a receiver's host
 * named after the recipient's domain) */
static gboolean holds_domain(const char *name, size_t len, const char *dom)
{
    size_t dl = strlen(dom);

    if (mxb_same_or_parent(name, len, dom))
        return TRUE;
    for (size_t i = 0; dl > 0 && i + dl <= len; i++) {
        if ((i == 0 || name[i - 1] == '.') && (i + dl == len || name[i + dl] == '.') &&
            g_ascii_strncasecmp(name + i, dom, dl) == 0)
            return TRUE;
    }
    return FALSE;
}

/* names_own_domain - the text names the recipient's domain by itself (not
 * as the end of an address: "unknown domain example.org", not
 * "<jo@example.org>: ...") */
static gboolean names_own_domain(const char *text, const char *recipient)
{
    const char *at = recipient ? strrchr(recipient, '@') : NULL;

    if (text == NULL || at == NULL || at[1] == '\0')
        return FALSE;
    g_autofree char *low = g_ascii_strdown(text, -1);
    g_autofree char *dom = g_ascii_strdown(at + 1, -1);
    size_t dl = strlen(dom);
    for (const char *p = strstr(low, dom); p != NULL; p = strstr(p + 1, dom)) {
        char before = p > low ? p[-1] : ' ', after = p[dl];
        if (before != '@' && before != '.' && before != '-' && !g_ascii_isalnum(before) &&
            after != '-' && !g_ascii_isalnum(after) &&
            !(after == '.' && g_ascii_isalnum(p[dl + 1])))
            return TRUE;
    }
    return FALSE;
}

/* missing_elsewhere - the words say that a DNS name which is not the
 * recipient's domain does not exist or is no domain (missing_name_regex;
 * the first such name decides): a receiver that checks the names our
 * message carries (its sender's domain, at RCPT or after DATA: "553
 * sender.example does not exist") and says nothing of the recipient's
 * address. *start and *end are the words' span. Not a name that could be
 * a mailbox's: one of a single dot said not to exist without the word
 * "domain" ("jane.doe does not exist"), one after a word that names a
 * mailbox ("mailbox john.q.smith"), the recipient's local part (its
 * +tag aside); nor a name that holds the recipient's domain (holds_domain). */
static gboolean missing_elsewhere(const char *text, const char *recipient, int *start, int *end)
{
    static const char *const mailbox_words[] = {"user",    "mailbox",   "account", "recipient",
                                                "address", "addressee", "username"};
    const char *at = recipient ? strrchr(recipient, '@') : NULL;
    GMatchInfo *mi = NULL;
    gboolean elsewhere = FALSE;

    if (text == NULL || at == NULL || at[1] == '\0')
        return FALSE;
    g_autofree char *ace = g_hostname_to_ascii(at + 1);
    const char *dom = ace ? ace : at + 1;
    g_regex_match(missing_name_regex(), text, 0, &mi);
    if (g_match_info_matches(mi)) {
        int s = -1, e = -1, group = 0;
        while (s < 0 && group < 4)
            g_match_info_fetch_pos(mi, ++group, &s, &e);
        g_match_info_fetch_pos(mi, 0, start, end);
        const char *name = text + s;
        size_t len = (size_t)(e - s);
        /* the word before it, over blanks and an opening bracket */
        const char *w = name;
        while (w > text && (w[-1] == ' ' || w[-1] == '\t' || w[-1] == '<' || w[-1] == '"'))
            w--;
        const char *wend = w;
        while (w > text && g_ascii_isalpha(w[-1]))
            w--;
        gboolean mailbox_word = FALSE;
        for (size_t i = 0; i < G_N_ELEMENTS(mailbox_words); i++)
            if ((size_t)(wend - w) == strlen(mailbox_words[i]) &&
                g_ascii_strncasecmp(w, mailbox_words[i], (size_t)(wend - w)) == 0)
                mailbox_word = TRUE;
        gboolean domain_word = wend - w == 6 && g_ascii_strncasecmp(w, "domain", 6) == 0;
        const char *dot = memchr(name, '.', len);
        gboolean one_dot =
            dot != NULL && memchr(dot + 1, '.', len - (size_t)(dot + 1 - name)) == NULL;
        size_t local = strcspn(recipient, "+@");
        gboolean is_local = len == local && g_ascii_strncasecmp(name, recipient, len) == 0;
        elsewhere = group >= 3 ? !is_local && !holds_domain(name, len, dom)
                               : !mailbox_word && !(one_dot && !domain_word) && !is_local &&
                                     !holds_domain(name, len, dom);
    }
    g_match_info_free(mi);
    return elsewhere;
}

/* condemns_address - a reason that says the recipient's address is dead
 * or gone */
static gboolean condemns_address(mxb_reason reason)
{
    return reason == MXB_REASON_USER_UNKNOWN || reason == MXB_REASON_DOMAIN_UNKNOWN ||
           reason == MXB_REASON_MOVED || reason == MXB_REASON_MAILBOX_DISABLED ||
           reason == MXB_REASON_NOT_ACCEPTING;
}

/* mxb_classify_text - reason from the diagnostic-text rules */
mxb_reason mxb_classify_text(const char *text)
{
    if (text == NULL)
        return MXB_REASON_NONE;
    g_autofree char *norm = rules_text(text);
    return match_rules(norm ? norm : text, 0, G_N_ELEMENTS(text_rules));
}

/*
 * Providers whose failures mean one thing when the report gives no verdict
 * (step 6), by the recipient's domain: a Google group that refuses a post
 * says so in the poster's language only, and the refusal is of the sender
 * (not a member, no permission), not of a dead address.
 */
static const struct {
    const char *domain; /* the recipient's domain or a parent of it */
    mxb_reason reason;
} provider_defaults[] = {
    {"googlegroups.com", MXB_REASON_SENDER_REJECTED},
};

/* domain_is - the recipient's domain is domain or a subdomain of it */
static gboolean domain_is(const char *recipient, const char *domain)
{
    const char *at = recipient ? strrchr(recipient, '@') : NULL;
    size_t dl, pl = strlen(domain);

    if (at == NULL)
        return FALSE;
    dl = strlen(at + 1);
    return dl >= pl && g_ascii_strcasecmp(at + 1 + dl - pl, domain) == 0 &&
           (dl == pl || at[dl - pl] == '.');
}

/* provider_default - step 6 */
static mxb_reason provider_default(const char *recipient)
{
    for (size_t i = 0; i < G_N_ELEMENTS(provider_defaults); i++)
        if (domain_is(recipient, provider_defaults[i].domain))
            return provider_defaults[i].reason;
    return MXB_REASON_NONE;
}

/* provider_text - step 0, the providers' own words and codes; *after_data
 * TRUE when the verdict stands at the end of DATA too (Yahoo's) */
static mxb_reason provider_text(const char *recipient, const char *diagnostic, gboolean *after_data)
{
    *after_data = FALSE;
    if (diagnostic == NULL)
        return MXB_REASON_NONE;
    for (size_t i = 0; i < G_N_ELEMENTS(provider_words) && recipient != NULL; i++)
        if (domain_is(recipient, provider_words[i].domain) &&
            rule_match(SLOT_WORDS + i, diagnostic, NULL, NULL))
            return provider_words[i].reason;
    if (!rule_match(SLOT_CODE_ANY, diagnostic, NULL, NULL))
        return MXB_REASON_NONE;
    for (size_t i = 0; i < G_N_ELEMENTS(provider_codes); i++)
        if (rule_match(SLOT_CODES + i, diagnostic, NULL, NULL)) {
            *after_data = provider_codes[i].after_data;
            return provider_codes[i].reason;
        }
    return MXB_REASON_NONE;
}

/* status_exact - step 1 */
static mxb_reason status_exact(const char *status)
{
    if (status == NULL || (status[0] != '4' && status[0] != '5'))
        return MXB_REASON_NONE;
    for (size_t i = 0; i < G_N_ELEMENTS(exact_status); i++)
        if (strcmp(status + 2, exact_status[i].code) == 0)
            return exact_status[i].reason;
    return MXB_REASON_NONE;
}

/* status_subject - step 3: the subject of an x.y.z code */
static mxb_reason status_subject(const char *status)
{
    int cls = 0, subject = -1, detail = -1;

    if (status == NULL || sscanf(status, "%d.%d.%d", &cls, &subject, &detail) != 3 || cls == 2)
        return MXB_REASON_NONE;
    switch (subject) {
    case 0:
        return MXB_REASON_NONE; /* "other or undefined": nothing to go on */
    case 1:
        /* x.1.0 "other address status" and x.1.4 "ambiguous" say too
         * little to declare an address dead. */
        /* x.1.10 is RFC 7505's null MX, but Microsoft sends 5.1.10 for a
         * recipient it cannot find: the words decide (step 2) and only
         * then the code. */
        if (detail == 10)
            return MXB_REASON_NOT_ACCEPTING;
        /* x.1.5 "destination address valid", x.1.9 "relayed to a
         * non-compliant mailer" and details RFC 3463 does not define
         * (Microsoft's 5.1.90 is a sender's daily limit) say nothing of
         * the mailbox. */
        return detail == 0 || detail == 4 || detail == 5 || detail >= 9 ? MXB_REASON_NONE
                                                                        : MXB_REASON_USER_UNKNOWN;
    case 2:
        if (detail == 1)
            return MXB_REASON_MAILBOX_DISABLED;
        if (detail == 4)
            return MXB_REASON_SYSTEM_ERROR; /* mailing list expansion problem */
        /* x.2.0 says nothing; details past x.2.4 are not RFC 3463's
         * (Microsoft's 5.2.252 "SendAsDenied" is about the sender, not a
         * full mailbox): the words decide, or nothing does */
        return detail == 0 || detail > 4 ? MXB_REASON_NONE : MXB_REASON_MAILBOX_FULL;
    case 3:
        return MXB_REASON_SYSTEM_ERROR;
    case 4:
        return MXB_REASON_NETWORK_ERROR;
    case 5:
        /* x.5.0 "other or undefined protocol status": Sendmail puts it
         * on any reply that had no status of its own ("554 ... Service
         * unavailable", a "421" while it waits), so it says nothing. */
        return detail == 0 ? MXB_REASON_NONE : MXB_REASON_SENDER_REJECTED;
    case 6:
        return MXB_REASON_CONTENT_REJECTED;
    case 7:
        /* x.7.3-x.7.12, x.7.14, x.7.30 (RFC 3463, 4954, 8689): the
         * transport's security, which the receiver wanted of the sending
         * side (encryption, an authentication, a trust relationship);
         * x.7.2, "mailing list expansion prohibited": the sender may not
         * post to the list (ezmlm's "#5.7.2") */
        if ((detail >= 2 && detail <= 12) || detail == 14 || detail == 30)
            return MXB_REASON_SENDER_REJECTED;
        return MXB_REASON_CONTENT_REJECTED;
    default:
        return MXB_REASON_NONE; /* subjects RFC 3463 does not define */
    }
}

/* smtp_reason - step 4: the reply code alone */
static mxb_reason smtp_reason(int code)
{
    switch (code) {
    case 552:
        return MXB_REASON_MAILBOX_FULL; /* exceeded storage allocation */
    case 551:
        return MXB_REASON_MOVED; /* user not local; please try <forward-path> */
    case 421:
        return MXB_REASON_SYSTEM_ERROR; /* service not available */
    case 554:
        return MXB_REASON_CONTENT_REJECTED; /* transaction failed: mostly policy */
    case 500:                               /* syntax error, command unrecognised */
    case 501:                               /* syntax error in parameters */
    case 502:                               /* command not implemented */
    case 503:                               /* bad sequence of commands */
    case 504:                               /* parameter not implemented */
        return MXB_REASON_SENDER_REJECTED;  /* the sending side's protocol */
    default:
        return MXB_REASON_NONE;
    }
}

/* status_subject_is - the status is x.<subject>.y */
static gboolean status_subject_is(const char *status, int subject)
{
    int cls = 0, sub = -1, detail = -1;

    return status != NULL && sscanf(status, "%d.%d.%d", &cls, &sub, &detail) == 3 && sub == subject;
}

/* status_is - the status is c<tail> ("x.4.7": tail ".4.7"), either class */
static gboolean status_is(const char *status, const char *tail)
{
    return status != NULL && status[0] != '\0' && strcmp(status + 1, tail) == 0;
}

/* is_temporary - a 4.x.x status, or a 4xx reply under a status that
 * says nothing more (none, or c.0.0: Exim writes "Status: 5.0.0" for
 * every failure, a retry timeout's "450 ... mailbox unavailable" too, and
 * the server said try again). A specific permanent status (5.1.1) is the
 * server's own and stands. */
static gboolean is_temporary(const mxb_result *r)
{
    if (r->status != NULL && r->status[0] == '4')
        return TRUE;
    gboolean generic = r->status == NULL || r->status[0] == '\0' || status_is(r->status, ".0.0");
    return generic && r->smtp_code >= 400 && r->smtp_code < 500;
}

/* mxb_classify - set class and reason of one result: a failure gets
 * both; a delay gets the reason it is waiting for (no class: it has not
 * failed); every other kind gets neither */
void mxb_classify(mxb_result *r)
{
    mxb_reason reason;

    r->klass = MXB_CLASS_NONE;
    r->reason = MXB_REASON_NONE;
    r->code_only = FALSE;
    r->local_rule = 0;
    if (r->kind != MXB_KIND_BOUNCE && r->kind != MXB_KIND_DELAYED)
        return;
    /* The operator's own rules first (local.c): they decide everything,
     * except that "try again later" never declares an address dead. */
    reason = mxb_local_reason(r, &r->local_rule);
    if (reason != MXB_REASON_NONE) {
        r->reason = reason;
        if (r->kind == MXB_KIND_BOUNCE) {
            r->klass = mxb_reason_class(reason);
            if (r->klass == MXB_CLASS_HARD && is_temporary(r))
                r->klass = MXB_CLASS_SOFT;
        }
        return;
    }
    g_autofree char *norm = r->diagnostic ? rules_text(r->diagnostic) : NULL;
    const char *text = norm ? norm : r->diagnostic;

    gboolean stands_after_data; /* a provider's own words, said after DATA */
    reason = provider_text(r->recipient, r->diagnostic, &stands_after_data);
    /* RFC 4954's replies to AUTH (530 authentication required, 535
     * credentials invalid, 538 encryption required): our side's login,
     * whatever words follow ("unknown account", "no such account"). */
    if (reason == MXB_REASON_NONE &&
        (r->smtp_code == 530 || r->smtp_code == 535 || r->smtp_code == 538))
        reason = MXB_REASON_SENDER_REJECTED;
    if (reason == MXB_REASON_NONE)
        reason = match_rules(text, 0, STRONG_RULES);
    /* The reporter said it gave up after retrying: expired, whatever the
     * last attempt's error was, unless that error was a strong verdict
     * (a blocklist, a rate limit, a full mailbox: why it never went). */
    if (reason == MXB_REASON_NONE && status_is(r->field_status, ".4.7"))
        reason = MXB_REASON_EXPIRED;
    gboolean by_code = FALSE; /* an exact status decided */
    /* A status that only the reporter wrote, about a server reply that had
     * none of its own ("Status: 5.1.1", "550 max message size exceeded"):
     * Sendmail derives it from the reply code, so the words decide first. */
    if (reason == MXB_REASON_NONE && reporter_status(r))
        reason = match_rules(text, STRONG_RULES, G_N_ELEMENTS(text_rules));
    if (reason == MXB_REASON_NONE) {
        reason = status_exact(r->status);
        if (reason == MXB_REASON_NONE)
            reason = provider_exact(r->status);
        by_code = reason != MXB_REASON_NONE;
    }

    if (reason == MXB_REASON_NONE)
        reason = match_rules(text, STRONG_RULES, G_N_ELEMENTS(text_rules)); /* 0 failed */
    /* Delivered to a local program (procmail, a pipe) that failed, with
     * no words of a verdict: the receiving system's fault, not the
     * address's nor the sender's. */
    if (reason == MXB_REASON_NONE && r->to_program)
        reason = MXB_REASON_SYSTEM_ERROR;
    /* The phase, from the report's text part or else the diagnostic:
     * read only when it can matter (most reasons are decided above). */
    mxb_phase phase = r->phase;
    if (reason == MXB_REASON_NONE) {
        if (phase == MXB_PHASE_UNKNOWN)
            phase = phase_in(text);
        if (phase == MXB_PHASE_UNKNOWN)
            phase = echo_phase(r->diagnostic, r->recipient);
        reason = phase_reason(phase);
    }
    r->code_only = reason == MXB_REASON_NONE;
    /* RFC 7504's 521 and 556 say the host or domain takes no mail at all
     * (a dummy server answers "521 5.3.2"): over a status that says
     * nothing (none, x.0.x) or a system's (x.3.x, whose x.3.2 alone is a
     * passing condition, RFC 3463). Another subject decides ("521 5.5.1
     * Protocol error", AOL's "521 5.2.1"). */
    if (reason == MXB_REASON_NONE && (r->smtp_code == 521 || r->smtp_code == 556) &&
        (r->status == NULL || r->status[0] == '\0' || status_subject_is(r->status, 0) ||
         status_subject_is(r->status, 3)))
        reason = MXB_REASON_NOT_ACCEPTING;
    if (reason == MXB_REASON_NONE)
        reason = status_subject(r->status);
    if (reason == MXB_REASON_NONE)
        reason = smtp_reason(r->smtp_code);
    if (reason == MXB_REASON_NONE)
        reason = provider_default(r->recipient);
    if (reason == MXB_REASON_NONE)
        reason = MXB_REASON_UNDETERMINED;
    if (r->kind == MXB_KIND_DELAYED) {
        /* A delay warning is sent because the message has waited in the
         * reporter's queue past its warning time: with no other cause in
         * the words, that is the reason (RFC 3463 x.4.7). A temporary DNS
         * failure is a network problem, not a missing domain. */
        if (reason == MXB_REASON_UNDETERMINED)
            reason = MXB_REASON_EXPIRED;
        else if (reason == MXB_REASON_DOMAIN_UNKNOWN)
            reason = MXB_REASON_NETWORK_ERROR;
        r->reason = reason;
        return;
    }
    /* Failed with a temporary status and no verdict in the words (a
     * timeout, nothing at all): the reporter retried until its queue
     * lifetime ran out (RFC 3464 s. 2.3.3, 2.3.4); not when its own dates
     * say it gave up at once. A temporary DNS failure ("Host not found,
     * try again") is such an error too. So it is when the Action itself says
     * "expired" (SendGrid's DSNs; not RFC 3464). */
    if ((reason == MXB_REASON_NETWORK_ERROR || reason == MXB_REASON_UNDETERMINED ||
         (reason == MXB_REASON_DOMAIN_UNKNOWN && is_temporary(r))) && /* a DNS failure */
        r->action &&
        ((strcmp(r->action, "failed") == 0 && is_temporary(r) && !r->at_once) ||
         strcmp(r->action, "expired") == 0) && /* SendGrid's own Action word */
        !status_is(r->status, ".4.6"))         /* a routing loop is a verdict of its own */
        reason = MXB_REASON_EXPIRED;

    /* Words that say a name other than the recipient's domain does not
     * exist: our sender's domain, checked by the receiver. An exact status
     * (x.1.x, the address's) still decides, and so do other words of the
     * text that condemn the address ("User unknown: ..."). */
    int ms, me;
    if (!by_code && condemns_address(reason) && !status_subject_is(r->status, 1) &&
        missing_elsewhere(r->diagnostic, r->recipient, &ms, &me)) {
        g_autofree char *rest = g_strdup_printf("%.*s %s", ms, r->diagnostic, r->diagnostic + me);
        g_autofree char *rest_norm = rules_text(rest);
        if (!condemns_address(
                match_rules(rest_norm ? rest_norm : rest, 0, G_N_ELEMENTS(text_rules))))
            reason = MXB_REASON_SENDER_REJECTED;
    }
    /* "User unknown" for a recipient the server accepted at RCPT and
     * refused once it had read the message: the recipient's filter in
     * disguise (NTT docomo, KDDI and others), not a dead address, unless
     * the server's x.1.x status says the mailbox is bad (not one the
     * reporter put on a bare reply, reporter_status: ZMailer writes 5.1.1
     * over "550 Error: improper use of 8-bit data in message body") or
     * the words are a provider's own (Yahoo refuses its missing mailboxes
     * only there). */
    if (reason == MXB_REASON_USER_UNKNOWN &&
        (!stands_after_data || names_another(r->diagnostic, r->recipient)) &&
        (!status_subject_is(r->status, 1) || reporter_status(r)) &&
        (phase != MXB_PHASE_UNKNOWN ? phase : phase_in(text)) == MXB_PHASE_END_OF_DATA)
        reason = MXB_REASON_CONTENT_REJECTED;
    /* "Domain not found" for a recipient the server accepted at RCPT and
     * refused once it had read the message: the domain it could not find
     * is not the recipient's, which it had taken, but our sender's or the
     * From: header's (QQ's "550 Domain may not exist or DNS check
     * failed"). An x.1.x status still decides, and so do words that name
     * the recipient's domain ("unknown domain example.org"). */
    if (reason == MXB_REASON_DOMAIN_UNKNOWN && !status_subject_is(r->status, 1) &&
        !names_own_domain(r->diagnostic, r->recipient) &&
        (phase != MXB_PHASE_UNKNOWN ? phase : phase_in(text)) == MXB_PHASE_END_OF_DATA)
        reason = MXB_REASON_SENDER_REJECTED;
    /* Words that condemn an address, said before any recipient was named
     * (at the greeting, EHLO or MAIL FROM): they speak of someone else,
     * at MAIL FROM of our sender ("after MAIL FROM:<b@example.com>: 553
     * 5.1.0 example.com does not exist"), before it of the sending host.
     * An exact status (x.1.1) still decides. */
    if (!by_code && condemns_address(reason)) {
        mxb_reason early = phase_reason(phase != MXB_PHASE_UNKNOWN ? phase : phase_in(text));
        if (early == MXB_REASON_NONE)
            early = phase_reason(echo_phase(r->diagnostic, r->recipient));
        if (early != MXB_REASON_NONE)
            reason = early;
    }
    /* A name that did not resolve, but not the recipient's domain: a
     * relay's or an MX host's (a routing or DNS fault, perhaps ours). */
    if (reason == MXB_REASON_DOMAIN_UNKNOWN && lookup_elsewhere(r->diagnostic, r->recipient))
        reason = MXB_REASON_NETWORK_ERROR;
    r->reason = reason;
    r->klass = mxb_reason_class(reason);
    if (r->klass == MXB_CLASS_HARD && is_temporary(r)) {
        /* "Try again later" never declares an address dead. A temporary
         * DNS failure is a network problem, not a missing domain. */
        r->klass = MXB_CLASS_SOFT;
        if (reason == MXB_REASON_DOMAIN_UNKNOWN)
            r->reason = MXB_REASON_NETWORK_ERROR;
    }
}
