/* The aio queue (block.h): one worker thread per image runs requests in
 * submission order through the synchronous calls, and hands them back
 * to the run loop's thread through an eventfd, where block_aio_poll runs
 * their done callbacks in the same order.
 *
 * Two lists, both FIFO, under one mutex: `pending` (submitted, not yet
 * run) and `done` (run, callback not yet called). `inflight` counts the
 * requests in `pending` plus the one the worker is running, so drain can
 * wait for it to reach zero. */
#include "block/block.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct req_list {
    struct block_req *head, *tail;
};

struct block_aio {
    struct block *b;
    pthread_t worker;
    pthread_mutex_t lock;
    pthread_cond_t work;        /* pending not empty, or stop */
    pthread_cond_t idle;        /* a request finished */
    struct req_list pending, done;
    unsigned inflight;
    bool stop;
    int efd;
    void (*kick)(void *opaque);     /* block_aio_set_kick */
    void *kick_opaque;
};

static void list_push(struct req_list *l, struct block_req *r)
{
    r->next = NULL;
    if (l->tail)
        l->tail->next = r;
    else
        l->head = r;
    l->tail = r;
}

static struct block_req *list_pop(struct req_list *l)
{
    struct block_req *r = l->head;
    if (r) {
        l->head = r->next;
        if (!l->head)
            l->tail = NULL;
    }
    return r;
}

static void run_request(struct block *b, struct block_req *r)
{
    switch (r->op) {
    case BLOCK_OP_READ:
        r->result = block_read(b, r->off, r->buf, r->len);
        break;
    case BLOCK_OP_WRITE:
        r->result = block_write(b, r->off, r->buf, r->len);
        break;
    case BLOCK_OP_FLUSH:
        r->result = block_flush(b);
        break;
    default:
        r->result = -EINVAL;
    }
}

static void *worker_main(void *arg)
{
    struct block_aio *q = arg;
    const uint64_t one = 1;

    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (!q->pending.head && !q->stop)
            pthread_cond_wait(&q->work, &q->lock);
        struct block_req *r = list_pop(&q->pending);
        if (!r)
            break;              /* stop, nothing left */
        pthread_mutex_unlock(&q->lock);
        run_request(q->b, r);
        pthread_mutex_lock(&q->lock);
        list_push(&q->done, r);
        q->inflight--;
        pthread_cond_broadcast(&q->idle);
        /* Under the lock: poll may not miss it, and a full counter (2^64-2
         * unread completions) cannot happen. */
        while (write(q->efd, &one, sizeof(one)) < 0 && errno == EINTR)
            ;
        if (q->kick)
            q->kick(q->kick_opaque);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

struct block_aio *block_aio_new(struct block *b, char *err, size_t errlen)
{
    struct block_aio *q = calloc(1, sizeof(*q));
    sigset_t all, old;
    int ret;

    if (!q) {
        snprintf(err, errlen, "%s: out of memory", b->path);
        return NULL;
    }
    q->b = b;
    q->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (q->efd < 0) {
        snprintf(err, errlen, "%s: eventfd: %s", b->path, strerror(errno));
        free(q);
        return NULL;
    }
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_cond_init(&q->idle, NULL);
    /* The worker takes no signals: timers and Ctrl-C belong to the run
     * loop's thread. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    ret = pthread_create(&q->worker, NULL, worker_main, q);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (ret) {
        snprintf(err, errlen, "%s: cannot start the I/O thread: %s", b->path,
                 strerror(ret));
        close(q->efd);
        pthread_mutex_destroy(&q->lock);
        pthread_cond_destroy(&q->work);
        pthread_cond_destroy(&q->idle);
        free(q);
        return NULL;
    }
    return q;
}

void block_aio_submit(struct block_aio *q, struct block_req *r)
{
    pthread_mutex_lock(&q->lock);
    list_push(&q->pending, r);
    q->inflight++;
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->lock);
}

void block_aio_set_kick(struct block_aio *q, void (*kick)(void *opaque), void *opaque)
{
    pthread_mutex_lock(&q->lock);
    q->kick = kick;
    q->kick_opaque = opaque;
    pthread_mutex_unlock(&q->lock);
}

int block_aio_fd(const struct block_aio *q)
{
    return q->efd;
}

void block_aio_poll(struct block_aio *q)
{
    uint64_t count;
    struct req_list done;

    pthread_mutex_lock(&q->lock);
    /* Cleared under the lock, with the list taken whole: every
     * completion after this writes the counter again. */
    while (read(q->efd, &count, sizeof(count)) < 0 && errno == EINTR)
        ;
    done = q->done;
    q->done.head = q->done.tail = NULL;
    pthread_mutex_unlock(&q->lock);
    /* Callbacks may submit more requests: the lock is not held. */
    while (done.head) {
        struct block_req *r = list_pop(&done);
        r->done(r, r->opaque);
    }
}

void block_aio_drain(struct block_aio *q)
{
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (q->inflight)
            pthread_cond_wait(&q->idle, &q->lock);
        bool more = q->done.head != NULL;
        pthread_mutex_unlock(&q->lock);
        if (!more)
            return;
        /* A callback may submit again: loop until nothing is left. */
        block_aio_poll(q);
    }
}

void block_aio_free(struct block_aio *q)
{
    if (!q)
        return;
    block_aio_drain(q);
    pthread_mutex_lock(&q->lock);
    q->stop = true;
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->worker, NULL);
    close(q->efd);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->idle);
    free(q);
}
