/*
 * mime.c - Content-Type from a key's extension, and entity-tag comparison
 * for conditional requests.  See uk/http.h.
 */
#include <string.h>

#include <uk/http.h>

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"xml", "application/xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"pdf", "application/pdf"},
    {"wasm", "application/wasm"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"mp3", "audio/mpeg"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"tar", "application/x-tar"},
};

static bool eq_ci(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char c = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        if (c != *b)
            return false;
    }
    return *a == *b;
}

const char *uk_http_content_type(const char *key)
{
    const char *dot = strrchr(key, '.'), *slash = strrchr(key, '/');
    size_t i;
    if (dot != NULL && (slash == NULL || dot > slash)) {
        for (i = 0; i < sizeof types / sizeof types[0]; i++)
            if (eq_ci(dot + 1, types[i].ext))
                return types[i].type;
    }
    return "application/octet-stream";
}

/* Length of the opaque-tag at s (with quotes), after an optional "W/";
 * 0 if s does not start with one. */
static size_t tag_len(const char *s, bool *weak)
{
    size_t n = 0;
    *weak = s[0] == 'W' && s[1] == '/';
    if (*weak)
        s += 2;
    if (s[0] != '"')
        return 0;
    for (n = 1; s[n] != '\0' && s[n] != '"'; n++)
        ;
    if (s[n] != '"')
        return 0;
    return n + 1 + (*weak ? 2 : 0);
}

bool uk_http_etag_match(const char *list, const char *etag)
{
    size_t elen = strlen(etag);
    const char *p = list;
    while (*p == ' ' || *p == '\t')
        p++;
    if (p[0] == '*')
        return true;
    while (*p != '\0') {
        bool weak;
        size_t n;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '\0')
            break;
        n = tag_len(p, &weak);
        if (n == 0)
            return false; /* malformed: no match */
        if (n - (weak ? 2 : 0) == elen &&
            memcmp(p + (weak ? 2 : 0), etag, elen) == 0)
            return true;
        p += n;
    }
    return false;
}

bool uk_http_etag_strong_eq(const char *s, const char *etag)
{
    return s[0] == '"' && strcmp(s, etag) == 0;
}
