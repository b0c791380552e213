/* paths.c: locating kb/ and templates/ for a source-tree build and an installed one. */
#include "paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TORREADY_DATADIR
#define TORREADY_DATADIR "/usr/local/share/torready"
#endif

static int has_data(const char *dir)
{
	char p[PATH_MAX + 32];
	snprintf(p, sizeof p, "%s/kb/targets.yaml", dir);
	return access(p, R_OK) == 0;
}

const char *paths_datadir(void)
{
	static char dir[PATH_MAX];
	if (dir[0])
		return dir;
	const char *env = getenv("TORREADY_DATADIR");
	if (env && *env) {
		snprintf(dir, sizeof dir, "%s", env);
		return dir;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		/* ./torready in the tree, build-asan/torready one level down, or a unit test in
		 * build/tests/ two levels down. */
		for (int up = 0; up < 3; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash)
				break;
			*slash = '\0';
			if (has_data(exe)) {
				snprintf(dir, sizeof dir, "%s", exe);
				return dir;
			}
		}
	}
	snprintf(dir, sizeof dir, "%s", TORREADY_DATADIR);
	return dir;
}

const char *paths_data(const char *sub, char *out, unsigned long len)
{
	snprintf(out, len, "%s/%s", paths_datadir(), sub);
	return out;
}
