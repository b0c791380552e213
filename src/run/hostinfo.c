/* hostinfo.c: the OS name from os-release, for the results' "host" object. */
#include "hostinfo.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "results.h"

static int os_release(char *out, size_t len)
{
	FILE *f = fopen("/etc/os-release", "r");
	if (!f)
		f = fopen("/usr/lib/os-release", "r");
	if (!f)
		return -1;
	char line[512];
	int found = -1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "PRETTY_NAME=", 12))
			continue;
		char *v = line + 12;
		v[strcspn(v, "\n")] = '\0';
		size_t n = strlen(v);
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v[n - 1] = '\0';
			v++;
		}
		n = strlen(v) < len ? strlen(v) : len - 1;
		memcpy(out, v, n);
		out[n] = '\0';
		found = 0;
		break;
	}
	fclose(f);
	return found;
}

void hostinfo_fill(json_t *host)
{
	char os[256];
	struct utsname u;
	if (os_release(os, sizeof os) < 0)
		snprintf(os, sizeof os, "%s", uname(&u) == 0 ? u.sysname : "unknown");
	json_object_set_new(host, "os", results_str_safe(os, strlen(os)));
}
