/* curl_sock.c: the socket callback of curl_sock.h. */
#include "curl_sock.h"

#include <errno.h>
#include <sys/socket.h>

static curl_socket_t open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	int *err = arg;
	(void)purpose;
	curl_socket_t s = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
	if (s == CURL_SOCKET_BAD && err)
		*err = errno;
	return s;
}

void easy_own_sockets(CURL *easy, int *err)
{
	curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, err);
}
