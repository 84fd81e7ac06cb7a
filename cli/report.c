/*
 * report.c - mxbounce report (in mxbounce-admin)
 *
 * SYNOPSIS
 *	mxbounce report [-c FILE] --account ID [--list L] [--since Nd|YYYY-MM-DD]
 *			[--top N] [--format text|json|csv|html] [-o FILE]
 *
 * DESCRIPTION
 *	The delivery-issue report a customer sees: mxbounce.account_report()
 *	gathers the figures in one query; this file only renders them.
 *	html is one self-contained file (inline CSS and SVG charts, nothing
 *	fetched); csv is one long table (docs/review.md has its columns).
 *	Everything the remote servers wrote is treated as hostile: escaped
 *	for HTML and CSV, control characters removed for the terminal.
 *
 * EXIT STATUS
 *	0 success; 1 the configuration, the database or the output file
 *	failed; 2 usage error.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"

/* How many newly suppressed addresses the text and HTML forms list (the
 * JSON and CSV forms carry all the database returned, at most 1000). */
#define REPORT_SUPPRESSED_SHOWN 100
/* Characters of a remote server's words shown as a sample. */
#define REPORT_SAMPLE_CHARS 300

/* --- JSON access ------------------------------------------------------ */

/* d_of - a number; NAN when null or missing (a rate with nothing sent) */
static double d_of(json_object *o, const char *name)
{
    json_object *n = num_of(o, name);

    return n ? json_object_get_double(n) : NAN;
}

static json_object *a_of(json_object *o, const char *name)
{
    return mxb_json_member(o, name, json_type_array);
}

static json_object *o_of(json_object *o, const char *name)
{
    return mxb_json_member(o, name, json_type_object);
}

/* has - the member is there and not null */
static gboolean has(json_object *o, const char *name)
{
    json_object *n = NULL;

    return o && json_object_object_get_ex(o, name, &n) && n != NULL;
}

/* obj_at - element i of an array of objects, or NULL */
static json_object *obj_at(json_object *a, size_t i)
{
    return mxb_json_element(a, i, json_type_object);
}

/* pct - "9.12%", or "-" with nothing sent */
static char *pct(double rate)
{
    if (isnan(rate))
        return g_strdup("-");
    return g_strdup_printf("%.2f%%", rate * 100.0);
}

/* list_name - "list 5", "list 5 (News)", or "no list" for 0 */
static char *list_name(json_object *l)
{
    gint64 id = int_or(l, "list_id", 0);
    g_autofree char *name = clean_text(str_or(l, "name", NULL), 40);

    if (id == 0)
        return g_strdup("no list");
    if (*name)
        return g_strdup_printf("list %" G_GINT64_FORMAT " (%s)", id, name);
    return g_strdup_printf("list %" G_GINT64_FORMAT, id);
}

/* The kinds of failure in the order every form shows them. */
static const struct {
    const char *count, *rate, *label, *color;
} kinds[] = {
    {"hard", "hard_rate", "Hard", "#c0392b"},
    {"soft", "soft_rate", "Soft", "#e67e22"},
    {"block", "block_rate", "Block", "#8e44ad"},
    {"complaints", "complaint_rate", "Complaints", "#2c3e50"},
};
#define NKINDS G_N_ELEMENTS(kinds)

/* --- text ------------------------------------------------------------- */

static void text_row(GString *out, const char *label, json_object *x)
{
    g_string_append_printf(out, "  %-24s %10" G_GINT64_FORMAT, label, int_or(x, "sent", 0));
    for (guint k = 0; k < NKINDS; k++) {
        g_autofree char *p = pct(d_of(x, kinds[k].rate));
        g_string_append_printf(out, " %8" G_GINT64_FORMAT " %7s", int_or(x, kinds[k].count, 0), p);
    }
    g_string_append_c(out, '\n');
}

static void render_text(GString *out, json_object *r)
{
    json_object *st = o_of(r, "status");
    g_autofree char *name = clean_text(str_or(r, "name", NULL), 60);
    g_autofree char *reason = clean_text(str_or(st, "reason", NULL), 0);

    g_string_append_printf(out, "Delivery issues of account %" G_GINT64_FORMAT "%s%s%s",
                           int_or(r, "account_id", 0), *name ? " (" : "", name, *name ? ")" : "");
    if (has(r, "list_id"))
        g_string_append_printf(out, ", list %" G_GINT64_FORMAT, int_or(r, "list_id", 0));
    g_string_append_printf(out, ", %s to %.10s (UTC)\n", str_or(r, "since", NULL),
                           str_or(r, "until", NULL));
    g_string_append_printf(out, "Status: %s%s%s\n\n",
                           str_or(st, "status", NULL) ? str_or(st, "status", NULL) : "active",
                           *reason ? " - " : "", reason);

    g_string_append_printf(out, "  %-24s %10s", "", "sent");
    for (guint k = 0; k < NKINDS; k++)
        g_string_append_printf(out, " %16s", kinds[k].count);
    g_string_append_c(out, '\n');
    json_object *lists = a_of(r, "lists");
    for (size_t i = 0; i < mxb_json_length(lists); i++) {
        json_object *l = obj_at(lists, i);
        g_autofree char *ln = list_name(l);
        g_autofree char *label = g_strdup_printf(
            "%s%s%s", ln, g_strcmp0(str_or(l, "status", NULL), "active") ? " " : "",
            g_strcmp0(str_or(l, "status", NULL), "active") ? str_or(l, "status", NULL) : "");
        text_row(out, label, l);
    }
    if (mxb_json_length(lists) != 1)
        text_row(out, "all", o_of(r, "total"));
    g_string_append(out, "  (rates: unique recipients per message sent)\n");

    json_object *domains = a_of(r, "domains");
    if (mxb_json_length(domains) > 0)
        g_string_append(out, "\nReceiving domains with the most failed recipients\n");
    for (size_t i = 0; i < mxb_json_length(domains); i++) {
        json_object *d = obj_at(domains, i);
        g_autofree char *dn = clean_text(str_or(d, "domain", NULL), 60);
        g_string_append_printf(out,
                               "  %-32s %6" G_GINT64_FORMAT " (hard %" G_GINT64_FORMAT
                               ", soft %" G_GINT64_FORMAT ", block %" G_GINT64_FORMAT
                               ")  mostly %s\n",
                               dn, int_or(d, "failures", 0), int_or(d, "hard", 0),
                               int_or(d, "soft", 0), int_or(d, "block", 0),
                               str_or(d, "top_reason", NULL) ? str_or(d, "top_reason", NULL) : "-");
    }
    json_object *reasons = a_of(r, "reasons");
    if (mxb_json_length(reasons) > 0)
        g_string_append(out, "\nReasons\n");
    for (size_t i = 0; i < mxb_json_length(reasons); i++) {
        json_object *x = obj_at(reasons, i);
        g_autofree char *sample = clean_text(str_or(x, "sample", NULL), REPORT_SAMPLE_CHARS);
        g_autofree char *mta = clean_text(str_or(x, "remote_mta", NULL), 80);
        g_string_append_printf(out, "  %-9s %-22s %6" G_GINT64_FORMAT " recipient(s)\n",
                               str_or(x, "class", NULL), str_or(x, "reason", NULL),
                               int_or(x, "recipients", 0));
        if (*sample)
            g_string_append_printf(out, "            \"%s\"%s%s\n", sample, *mta ? " - " : "", mta);
    }
    json_object *sup = a_of(r, "suppressed");
    gint64 total = int_or(r, "suppressed_total", 0);
    g_string_append_printf(out, "\nNewly suppressed addresses: %" G_GINT64_FORMAT "\n", total);
    for (size_t i = 0; i < mxb_json_length(sup) && i < REPORT_SUPPRESSED_SHOWN; i++) {
        json_object *s = obj_at(sup, i);
        g_autofree char *addr = clean_text(str_or(s, "address", NULL), 80);
        g_autofree char *at = when(str_or(s, "at", NULL));
        g_string_append_printf(out, "  %s  %-40s %s %s (%s)\n", at, addr, str_or(s, "class", NULL),
                               str_or(s, "reason", NULL) ? str_or(s, "reason", NULL) : "-",
                               str_or(s, "scope", NULL));
    }
    if (total > REPORT_SUPPRESSED_SHOWN)
        g_string_append_printf(out,
                               "  ... and %" G_GINT64_FORMAT " more (--format csv lists them)\n",
                               total - REPORT_SUPPRESSED_SHOWN);
    json_object *rev = a_of(r, "reviews");
    if (mxb_json_length(rev) > 0)
        g_string_append(out, "\nReview decisions, newest first\n");
    for (size_t i = 0; i < mxb_json_length(rev); i++) {
        json_object *x = obj_at(rev, i);
        g_autofree char *why = clean_text(str_or(x, "why", NULL), 0);
        g_autofree char *who = clean_text(str_or(x, "who", NULL), 60);
        g_autofree char *at = when(str_or(x, "at", NULL));
        g_string_append_printf(out, "  %s ", at);
        if (has(x, "list_id"))
            g_string_append_printf(out, "list %" G_GINT64_FORMAT " ", int_or(x, "list_id", 0));
        g_string_append_printf(out, "%s -> %s by %s: %s\n", str_or(x, "old_status", NULL),
                               str_or(x, "new_status", NULL), who, why);
    }
}

/* --- csv -------------------------------------------------------------- */

/* csv_cell - RFC 4180 quoting; a cell a spreadsheet would run as a
 * formula (= + - @ first) gets a leading apostrophe */
static void csv_cell(GString *out, const char *s, gboolean last)
{
    g_autofree char *c = clean_text(s, 0);

    if (strchr("=+-@", c[0]) != NULL && c[0] != '\0')
        g_string_append(out, "\"'");
    else
        g_string_append_c(out, '"');
    for (const char *p = c; *p; p++) {
        if (*p == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
    g_string_append(out, last ? "\r\n" : ",");
}

static void csv_row(GString *out, const char *section, const char *list, const char *item,
                    const char *metric, gint64 count, double rate, const char *detail)
{
    g_autofree char *n = g_strdup_printf("%" G_GINT64_FORMAT, count);
    g_autofree char *r = isnan(rate) ? g_strdup("") : g_strdup_printf("%.6f", rate);

    csv_cell(out, section, FALSE);
    csv_cell(out, list, FALSE);
    csv_cell(out, item, FALSE);
    csv_cell(out, metric, FALSE);
    csv_cell(out, n, FALSE);
    csv_cell(out, r, FALSE);
    csv_cell(out, detail, TRUE);
}

/* csv_figures - sent and every kind of one list, the total or a day */
static void csv_figures(GString *out, const char *section, const char *list, const char *item,
                        json_object *x, const char *detail)
{
    csv_row(out, section, list, item, "sent", int_or(x, "sent", 0), NAN, detail);
    for (guint k = 0; k < NKINDS; k++)
        csv_row(out, section, list, item, kinds[k].count, int_or(x, kinds[k].count, 0),
                d_of(x, kinds[k].rate), detail);
}

static void render_csv(GString *out, json_object *r)
{
    g_string_append(out, "section,list_id,item,metric,count,rate,detail\r\n");
    json_object *lists = a_of(r, "lists");
    for (size_t i = 0; i < mxb_json_length(lists); i++) {
        json_object *l = obj_at(lists, i);
        g_autofree char *id = g_strdup_printf("%" G_GINT64_FORMAT, int_or(l, "list_id", 0));
        csv_figures(out, "list", id, str_or(l, "name", NULL), l, str_or(l, "status", NULL));
    }
    csv_figures(out, "total", NULL, NULL, o_of(r, "total"),
                str_or(o_of(r, "status"), "status", NULL));
    json_object *days = a_of(r, "days");
    for (size_t i = 0; i < mxb_json_length(days); i++) {
        json_object *d = obj_at(days, i);
        csv_figures(out, "day", NULL, str_or(d, "day", NULL), d, NULL);
    }
    json_object *domains = a_of(r, "domains");
    for (size_t i = 0; i < mxb_json_length(domains); i++) {
        json_object *d = obj_at(domains, i);
        csv_row(out, "domain", NULL, str_or(d, "domain", NULL), "failures",
                int_or(d, "failures", 0), NAN, str_or(d, "top_reason", NULL));
        for (guint k = 0; k < 3; k++)
            csv_row(out, "domain", NULL, str_or(d, "domain", NULL), kinds[k].count,
                    int_or(d, kinds[k].count, 0), NAN, NULL);
    }
    json_object *reasons = a_of(r, "reasons");
    for (size_t i = 0; i < mxb_json_length(reasons); i++) {
        json_object *x = obj_at(reasons, i);
        g_autofree char *item =
            g_strdup_printf("%s/%s", str_or(x, "class", NULL), str_or(x, "reason", NULL));
        csv_row(out, "reason", NULL, item, "recipients", int_or(x, "recipients", 0), NAN,
                str_or(x, "sample", NULL));
    }
    json_object *sup = a_of(r, "suppressed");
    for (size_t i = 0; i < mxb_json_length(sup); i++) {
        json_object *s = obj_at(sup, i);
        g_autofree char *detail =
            g_strdup_printf("%s %s %s", str_or(s, "reason", NULL) ? str_or(s, "reason", NULL) : "-",
                            str_or(s, "scope", NULL), str_or(s, "at", NULL));
        csv_row(out, "suppressed", NULL, str_or(s, "address", NULL), str_or(s, "class", NULL), 1,
                NAN, detail);
    }
}

/* --- html ------------------------------------------------------------- */

/* esc - text for HTML, control characters removed, at most max chars */
static char *esc(const char *s, glong max)
{
    g_autofree char *c = clean_text(s, max);

    return g_markup_escape_text(c, -1);
}

/* svg_days - stacked bars of failed recipients per day, sent in the tooltip */
static void svg_days(GString *out, json_object *days)
{
    const int W = 760, H = 220, left = 48, bottom = 28, top = 10;
    size_t n = mxb_json_length(days);
    gint64 max = 1;

    for (size_t i = 0; i < n; i++) {
        json_object *d = obj_at(days, i);
        gint64 sum = 0;
        for (guint k = 0; k < NKINDS; k++)
            sum += int_or(d, kinds[k].count, 0);
        max = MAX(max, sum);
    }
    double bw = n ? (double)(W - left - 10) / n : 0, ph = H - bottom - top;
    g_string_append_printf(out,
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                           "role=\"img\" aria-label=\"Failed recipients per day\">\n",
                           W, H);
    g_string_append_printf(
        out,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
        "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">%" G_GINT64_FORMAT
        "</text><text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">0</text>\n",
        left, H - bottom, W - 10, H - bottom, left - 4, top + 10, max, left - 4, H - bottom);
    for (size_t i = 0; i < n; i++) {
        json_object *d = obj_at(days, i);
        double y = H - bottom, x = left + i * bw + bw * 0.1;
        g_autofree char *day = esc(str_or(d, "day", NULL), 10);
        for (guint k = 0; k < NKINDS; k++) {
            gint64 v = int_or(d, kinds[k].count, 0);
            double h = ph * (double)v / (double)max;
            if (v == 0)
                continue;
            y -= h;
            g_string_append_printf(out,
                                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                   "fill=\"%s\"><title>%s: %" G_GINT64_FORMAT
                                   " %s of %" G_GINT64_FORMAT " sent</title></rect>\n",
                                   x, y, bw * 0.8, h, kinds[k].color, day, v, kinds[k].count,
                                   int_or(d, "sent", 0));
        }
        if (n <= 16 || i % (n / 8 + 1) == 0)
            g_string_append_printf(
                out, "<text x=\"%.1f\" y=\"%d\" class=\"ax\" text-anchor=\"middle\">%.5s</text>\n",
                x + bw * 0.4, H - bottom + 16, strlen(day) >= 10 ? day + 5 : day);
    }
    g_string_append(out, "</svg>\n");
}

/* svg_rate - one small horizontal bar for a rate, scaled to 10% */
static void svg_rate(GString *out, double rate, const char *color)
{
    double w = isnan(rate) ? 0 : MIN(rate / 0.10, 1.0) * 100.0;

    g_string_append_printf(out,
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"10\">"
                           "<rect width=\"100\" height=\"10\" fill=\"#eee\"/>"
                           "<rect width=\"%.1f\" height=\"10\" fill=\"%s\"/></svg>",
                           w, color);
}

/* svg_domains - horizontal stacked bars: hard, soft, block per domain */
static void svg_domains(GString *out, json_object *domains)
{
    guint n = (guint)mxb_json_length(domains); /* at most --top, 100 */
    const int W = 760, row = 22, left = 220;
    gint64 max = 1;

    for (guint i = 0; i < n; i++)
        max = MAX(max, int_or(obj_at(domains, i), "failures", 0));
    g_string_append_printf(out,
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" "
                           "role=\"img\" aria-label=\"Failed recipients by receiving domain\">\n",
                           W, n * row + 4);
    for (guint i = 0; i < n; i++) {
        json_object *d = obj_at(domains, i);
        g_autofree char *dn = esc(str_or(d, "domain", NULL), 30);
        double x = left;
        g_string_append_printf(
            out, "<text x=\"%d\" y=\"%u\" class=\"ax\" text-anchor=\"end\">%s</text>\n", left - 6,
            i * row + 15, dn);
        for (guint k = 0; k < 3; k++) {
            gint64 v = int_or(d, kinds[k].count, 0);
            double w = (double)(W - left - 60) * (double)v / (double)max;
            if (v == 0)
                continue;
            g_string_append_printf(
                out,
                "<rect x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                "<title>%s: %" G_GINT64_FORMAT " %s</title></rect>\n",
                x, i * row + 2, w, kinds[k].color, dn, v, kinds[k].count);
            x += w;
        }
        g_string_append_printf(
            out, "<text x=\"%.1f\" y=\"%u\" class=\"ax\">%" G_GINT64_FORMAT "</text>\n", x + 4,
            i * row + 15, int_or(d, "failures", 0));
    }
    g_string_append(out, "</svg>\n");
}

static void html_figures_row(GString *out, const char *label, const char *status, json_object *x)
{
    g_string_append_printf(
        out, "<tr><th>%s</th><td class=\"st %s\">%s</td><td class=\"n\">%" G_GINT64_FORMAT "</td>",
        label, status ? status : "", status ? status : "", int_or(x, "sent", 0));
    for (guint k = 0; k < NKINDS; k++) {
        g_autofree char *p = pct(d_of(x, kinds[k].rate));
        g_string_append_printf(out, "<td class=\"n\">%" G_GINT64_FORMAT "</td><td class=\"n\">%s ",
                               int_or(x, kinds[k].count, 0), p);
        svg_rate(out, d_of(x, kinds[k].rate), kinds[k].color);
        g_string_append(out, "</td>");
    }
    g_string_append(out, "</tr>\n");
}

static void render_html(GString *out, json_object *r)
{
    json_object *st = o_of(r, "status");
    json_object *total = o_of(r, "total");
    g_autofree char *name = esc(str_or(r, "name", NULL), 80);
    g_autofree char *reason = esc(str_or(st, "reason", NULL), 0);
    const char *status = str_or(st, "status", NULL) ? str_or(st, "status", NULL) : "active";
    gint64 acct = int_or(r, "account_id", 0);

    g_string_append_printf(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
        "'unsafe-inline'\">\n"
        "<title>Delivery issues of account %" G_GINT64_FORMAT "</title>\n<style>\n"
        "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}\n"
        "h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}\n"
        "table{border-collapse:collapse}td,th{padding:3px 8px;text-align:left;vertical-align:top}\n"
        "tr:nth-child(even){background:#f6f6f6}.n{text-align:right;white-space:nowrap}\n"
        ".st{font-weight:bold}.warned{color:#b7950b}.review{color:#d35400}.suspended{color:#c0392b}"
        "\n"
        ".active{color:#1e8449}.ax{font-size:11px;fill:#555}.sample{font-family:monospace;"
        "font-size:12px;color:#444;word-break:break-all}\n.cards{display:flex;gap:12px;flex-wrap:"
        "wrap}"
        ".card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}"
        ".card b{display:block;font-size:20px}.key "
        "span{display:inline-block;width:10px;height:10px;"
        "margin:0 4px 0 12px}\n</style></head><body>\n",
        acct);
    g_string_append_printf(out, "<h1>Delivery issues of account %" G_GINT64_FORMAT "%s%s%s", acct,
                           *name ? " (" : "", name, *name ? ")" : "");
    if (has(r, "list_id"))
        g_string_append_printf(out, ", list %" G_GINT64_FORMAT, int_or(r, "list_id", 0));
    g_string_append_printf(
        out, "</h1>\n<p>%s to %.10s (UTC). Status: <span class=\"st %s\">%s</span>%s%s</p>\n",
        str_or(r, "since", NULL), str_or(r, "until", NULL), status, status,
        *reason ? " &mdash; " : "", reason);

    g_string_append(out, "<div class=\"cards\">");
    g_string_append_printf(out, "<div class=\"card\">Sent<b>%" G_GINT64_FORMAT "</b></div>",
                           int_or(total, "sent", 0));
    for (guint k = 0; k < NKINDS; k++) {
        g_autofree char *p = pct(d_of(total, kinds[k].rate));
        g_string_append_printf(
            out,
            "<div class=\"card\" style=\"border-color:%s\">%s<b>%" G_GINT64_FORMAT "</b>%s</div>",
            kinds[k].color, kinds[k].label, int_or(total, kinds[k].count, 0), p);
    }
    g_string_append(out, "</div>\n<h2>Failed recipients per day</h2>\n<p class=\"key\">");
    for (guint k = 0; k < NKINDS; k++)
        g_string_append_printf(out, "<span style=\"background:%s\"></span>%s", kinds[k].color,
                               kinds[k].label);
    g_string_append(out, "</p>\n");
    svg_days(out, a_of(r, "days"));

    g_string_append(out,
                    "<h2>Lists</h2>\n<table><tr><th></th><th>status</th><th class=\"n\">sent</th>");
    for (guint k = 0; k < NKINDS; k++)
        g_string_append_printf(out, "<th class=\"n\" colspan=\"2\">%s</th>", kinds[k].label);
    g_string_append(out, "</tr>\n");
    json_object *lists = a_of(r, "lists");
    for (size_t i = 0; i < mxb_json_length(lists); i++) {
        json_object *l = obj_at(lists, i);
        g_autofree char *ln = list_name(l);
        g_autofree char *lne = g_markup_escape_text(ln, -1);
        html_figures_row(out, lne, str_or(l, "status", NULL), l);
    }
    if (mxb_json_length(lists) != 1)
        html_figures_row(out, "all", NULL, total);
    g_string_append(out, "</table>\n<p>Rates are unique recipients per message sent; the bars "
                         "are scaled to 10%.</p>\n");

    json_object *domains = a_of(r, "domains");
    if (mxb_json_length(domains) > 0) {
        g_string_append(out, "<h2>Receiving domains with the most failed recipients</h2>\n");
        svg_domains(out, domains);
    }
    json_object *reasons = a_of(r, "reasons");
    if (mxb_json_length(reasons) > 0)
        g_string_append(out, "<h2>Reasons</h2>\n<table><tr><th>class</th><th>reason</th>"
                             "<th class=\"n\">recipients</th><th>what the receiving server said "
                             "(latest)</th></tr>\n");
    for (size_t i = 0; i < mxb_json_length(reasons); i++) {
        json_object *x = obj_at(reasons, i);
        g_autofree char *cls = esc(str_or(x, "class", NULL), 20);
        g_autofree char *rsn = esc(str_or(x, "reason", NULL), 40);
        g_autofree char *sample = esc(str_or(x, "sample", NULL), REPORT_SAMPLE_CHARS);
        g_autofree char *mta = esc(str_or(x, "remote_mta", NULL), 80);
        g_string_append_printf(out,
                               "<tr><td>%s</td><td>%s</td><td class=\"n\">%" G_GINT64_FORMAT
                               "</td><td class=\"sample\">%s%s%s</td></tr>\n",
                               cls, rsn, int_or(x, "recipients", 0), sample,
                               *mta ? "<br>&mdash; " : "", mta);
    }
    if (mxb_json_length(reasons) > 0)
        g_string_append(out, "</table>\n");

    json_object *sup = a_of(r, "suppressed");
    gint64 nsup = int_or(r, "suppressed_total", 0);
    g_string_append_printf(out, "<h2>Newly suppressed addresses: %" G_GINT64_FORMAT "</h2>\n",
                           nsup);
    if (mxb_json_length(sup) > 0)
        g_string_append(out, "<table><tr><th>when (UTC)</th><th>address</th><th>class</th>"
                             "<th>reason</th><th>scope</th></tr>\n");
    for (size_t i = 0; i < mxb_json_length(sup) && i < REPORT_SUPPRESSED_SHOWN; i++) {
        json_object *s = obj_at(sup, i);
        g_autofree char *at = when(str_or(s, "at", NULL));
        g_autofree char *addr = esc(str_or(s, "address", NULL), 100);
        g_autofree char *cls = esc(str_or(s, "class", NULL), 20);
        g_autofree char *rsn = esc(str_or(s, "reason", NULL), 40);
        g_autofree char *scope = esc(str_or(s, "scope", NULL), 20);
        g_string_append_printf(out,
                               "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                               at, addr, cls, rsn, scope);
    }
    if (mxb_json_length(sup) > 0)
        g_string_append(out, "</table>\n");
    if (nsup > REPORT_SUPPRESSED_SHOWN)
        g_string_append_printf(out, "<p>&hellip; and %" G_GINT64_FORMAT " more.</p>\n",
                               nsup - REPORT_SUPPRESSED_SHOWN);

    json_object *rev = a_of(r, "reviews");
    if (mxb_json_length(rev) > 0)
        g_string_append(out,
                        "<h2>Review decisions</h2>\n<table><tr><th>when (UTC)</th><th>list</th>"
                        "<th>change</th><th>why</th><th>by</th></tr>\n");
    for (size_t i = 0; i < mxb_json_length(rev); i++) {
        json_object *x = obj_at(rev, i);
        g_autofree char *at = when(str_or(x, "at", NULL));
        g_autofree char *why = esc(str_or(x, "why", NULL), 0);
        g_autofree char *who = esc(str_or(x, "who", NULL), 60);
        g_autofree char *list = has(x, "list_id")
                                    ? g_strdup_printf("%" G_GINT64_FORMAT, int_or(x, "list_id", 0))
                                    : g_strdup("");
        g_autofree char *olds = esc(str_or(x, "old_status", NULL), 12);
        g_autofree char *news = esc(str_or(x, "new_status", NULL), 12);
        g_string_append_printf(
            out,
            "<tr><td>%s</td><td>%s</td><td>%s &rarr; <span class=\"st %s\">%s</span>"
            "</td><td>%s</td><td>%s</td></tr>\n",
            at, list, olds, news, news, why, who);
    }
    if (mxb_json_length(rev) > 0)
        g_string_append(out, "</table>\n");
    g_string_append_printf(out, "<p class=\"ax\">mxbounce %s</p>\n</body></html>\n", MXB_VERSION);
}

/* --- the command ------------------------------------------------------ */

/* since_day - "Nd" (the UTC day N days ago) or "YYYY-MM-DD" into YYYY-MM-DD */
static char *since_day(const char *s)
{
    char *end = NULL;
    guint64 days = g_ascii_strtoull(s, &end, 10);

    if (end != s && strcmp(end, "d") == 0 && days <= 3660) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autoptr(GDateTime) then = g_date_time_add_days(now, -(gint)days);
        return g_date_time_format(then, "%Y-%m-%d");
    }
    g_autofree char *iso = g_strconcat(s, "T00:00:00Z", NULL);
    g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(iso, NULL);
    return dt ? g_date_time_format(dt, "%Y-%m-%d") : NULL;
}

/* mxb_cli_report - mxbounce report --account ID [...] */
int mxb_cli_report(int argc, char **argv)
{
    g_autofree char *config_opt = NULL, *since_opt = NULL, *format = NULL, *output = NULL;
    gint64 account = -1, list = G_MININT64; /* not given */
    gint top = 10;
    GOptionEntry entries[] = {
        {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_opt, "Configuration file", "FILE"},
        {"account", 'a', 0, G_OPTION_ARG_INT64, &account, "The account (required)", "ID"},
        {"list", 'l', 0, G_OPTION_ARG_INT64, &list, "Only this list (0: mail outside lists)", "L"},
        {"since", 's', 0, G_OPTION_ARG_STRING, &since_opt,
         "From this UTC day, or the day N days ago (default 7d)", "Nd|YYYY-MM-DD"},
        {"top", 't', 0, G_OPTION_ARG_INT, &top, "Domains and reasons shown (1-100, default 10)",
         "N"},
        {"format", 'f', 0, G_OPTION_ARG_STRING, &format, "text (default), json, csv or html",
         "FORMAT"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE, not standard output",
         "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_autoptr(GOptionContext) opt =
        g_option_context_new("- the delivery-issue report of an account");
    g_autoptr(GError) err = NULL;
    g_autoptr(mxb_config) cfg = NULL;
    g_autofree char *answer = NULL, *since = NULL, *id = NULL, *list_s = NULL, *top_s = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    mxb_db *db = NULL;
    g_autoptr(json_object) o = NULL;
    const char *fmt;

    g_option_context_add_main_entries(opt, entries, NULL);
    if (!g_option_context_parse(opt, &argc, &argv, &err) || argc != 1) {
        fprintf(stderr, "mxbounce report: %s\n",
                err ? err->message : "no arguments besides options");
        return EXIT_USAGE;
    }
    fmt = format ? format : "text";
    if (account < 0 || top < 1 || top > 100 || (list != G_MININT64 && list < 0) ||
        (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "csv") && strcmp(fmt, "html")) ||
        (since = since_day(since_opt ? since_opt : "7d")) == NULL) {
        fprintf(stderr, "mxbounce report: give --account ID (and --list L) of 0 or more; --format "
                        "text, json, csv or html; --since Nd or YYYY-MM-DD; --top 1 to 100\n");
        return EXIT_USAGE;
    }
    if ((db = open_db("report", config_opt, &cfg)) == NULL)
        return 1;
    if (need_schema(db, "report", MXB_SCHEMA_REVIEW) < 0) {
        mxb_db_close(db);
        return 1;
    }
    id = g_strdup_printf("%" G_GINT64_FORMAT, account);
    list_s = list != G_MININT64 ? g_strdup_printf("%" G_GINT64_FORMAT, list) : NULL;
    top_s = g_strdup_printf("%d", top);
    const char *values[] = {id, list_s, since, top_s};
    int rc = mxb_db_query_value(db, "SELECT mxbounce.account_report($1, $2, $3, $4)", 4, values,
                                &answer, &err);
    mxb_db_close(db);
    if (rc < 0) {
        fprintf(stderr, "mxbounce report: %s\n", err->message);
        return 1;
    }
    if (strcmp(fmt, "json") == 0) {
        g_string_append(out, answer);
        g_string_append_c(out, '\n');
    } else if (answer == NULL ||
               (o = mxb_json_parse(answer, -1, MXB_JSON_MAX_DEPTH, &err)) == NULL) {
        fprintf(stderr, "mxbounce report: %s\n", err ? err->message : "no report");
        return 1;
    } else if (strcmp(fmt, "csv") == 0) {
        render_csv(out, o);
    } else if (strcmp(fmt, "html") == 0) {
        render_html(out, o);
    } else {
        render_text(out, o);
    }
    if (output) {
        if (!g_file_set_contents(output, out->str, (gssize)out->len, &err)) {
            fprintf(stderr, "mxbounce report: %s\n", err->message);
            return 1;
        }
        return 0;
    }
    fwrite(out->str, 1, out->len, stdout);
    return fflush(stdout) == 0 ? 0 : 1;
}
