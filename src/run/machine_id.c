/* machine_id.c: the per-installation id. It is random, not derived from the hardware or
 * /etc/machine-id, so it says nothing about the machine beyond "the same one as before". */
#include "machine_id.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int machine_id_valid(const char *s)
{
	if (!s || strlen(s) != MACHINE_ID_LEN)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

/* The state directory: $XDG_STATE_HOME/torready, else $HOME/.local/state/torready
 * (relative values are ignored, as the XDG base directory spec asks). */
static int state_dir(char *dir, size_t len, char *parent, size_t plen)
{
	const char *x = getenv("XDG_STATE_HOME"), *h = getenv("HOME");
	int n;
	if (x && x[0] == '/') {
		snprintf(parent, plen, "%s", x);
	} else if (h && h[0] == '/') {
		n = snprintf(parent, plen, "%s/.local/state", h);
		if (n < 0 || (size_t)n >= plen)
			return -1;
	} else {
		return -1;
	}
	n = snprintf(dir, len, "%s/torready", parent);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int mkdirs(char *path, mode_t mode)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, mode);
		*p = '/';
		if (rc < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, mode) < 0 && errno != EEXIST ? -1 : 0;
}

static int read_id(const char *path, char out[MACHINE_ID_LEN + 1])
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	char b[MACHINE_ID_LEN + 2];
	ssize_t n = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, b, sizeof b - 1);
	close(fd);
	if (n < MACHINE_ID_LEN)
		return -1;
	b[n] = '\0';
	b[strcspn(b, "\n")] = '\0';
	if (!machine_id_valid(b))
		return -1;
	memcpy(out, b, MACHINE_ID_LEN + 1);
	return 0;
}

int machine_id_get(char out[MACHINE_ID_LEN + 1])
{
	char dir[4096], parent[4000], path[4200];
	if (state_dir(dir, sizeof dir, parent, sizeof parent) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/machine-id", dir);
	if (read_id(path, out) == 0)
		return 0;
	if (mkdirs(parent, 0700) < 0 || (mkdir(dir, 0700) < 0 && errno != EEXIST))
		return -1;
	unsigned char rnd[MACHINE_ID_LEN / 2];
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
		return -1;
	for (size_t i = 0; i < sizeof rnd; i++)
		snprintf(out + 2 * i, 3, "%02x", rnd[i]);
	/* O_EXCL: two checks started at once agree on whichever id was written first. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? read_id(path, out) : -1;
	char line[MACHINE_ID_LEN + 2];
	snprintf(line, sizeof line, "%s\n", out);
	int ok = write(fd, line, MACHINE_ID_LEN + 1) == MACHINE_ID_LEN + 1;
	if (close(fd) < 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return -1;
	}
	return 0;
}

void machine_id_fill(json_t *host)
{
	char id[MACHINE_ID_LEN + 1];
	if (json_is_object(host) && machine_id_get(id) == 0)
		json_object_set_new(host, "machine_id", json_string(id));
}
