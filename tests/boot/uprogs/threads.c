/* Threads: a work queue shared by four workers under a mutex and two
 * condition variables, atomic counters (fetch-add, a compare-and-swap loop,
 * an xchg spinlock), thread-local storage (FS on amd64, GS on i386) checked
 * after every job, a barrier, deep recursion on each thread's own stack and
 * join values. The result does not depend on the scheduling. */
#include <pthread.h>
#include <stdlib.h>

#include "uprog.h"

#define WORKERS 4
#define JOBS 240
#define ADDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t have_job = PTHREAD_COND_INITIALIZER, all_done = PTHREAD_COND_INITIALIZER;
static int next_job, queued, done_jobs;
static uint64_t results[JOBS];
static pthread_barrier_t barrier;

static unsigned long counter;          /* atomic fetch-add */
static unsigned long cas_counter;      /* compare-and-swap loop */
static int spin;                       /* xchg spinlock ... */
static unsigned long spin_counter;     /* ... protecting this */

static __thread int my_id = -1;
static __thread uint64_t my_sum;
static __thread char tls_buf[3000];

static uint64_t job(int n)
{
    uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 4000 + n * 10; i++)
        h = (h ^ (h >> 31)) * 0xbf58476d1ce4e5b9ull + (uint64_t)i;
    return h;
}

static uint64_t deep(int n, volatile char *prev)
{
    volatile char frame[200];
    frame[0] = (char)n;
    frame[199] = prev ? prev[0] : 0;
    if (n == 0)
        return (uint64_t)(unsigned char)frame[199];
    return deep(n - 1, frame) + (unsigned char)frame[0];
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    my_id = id;
    memset(tls_buf, id + 1, sizeof tls_buf);
    pthread_barrier_wait(&barrier);
    for (;;) {
        pthread_mutex_lock(&lock);
        while (next_job >= queued && queued < JOBS)
            pthread_cond_wait(&have_job, &lock);
        if (next_job >= JOBS) {
            pthread_mutex_unlock(&lock);
            break;
        }
        int n = next_job++;
        pthread_mutex_unlock(&lock);

        uint64_t r = job(n);
        my_sum += r;
        if (my_id != id || tls_buf[0] != id + 1 || tls_buf[sizeof tls_buf - 1] != id + 1)
            r = 0;      /* TLS of another thread: the check in main fails */

        pthread_mutex_lock(&lock);
        results[n] = r;
        if (++done_jobs == JOBS)
            pthread_cond_signal(&all_done);
        pthread_mutex_unlock(&lock);
    }
    for (int i = 0; i < ADDS; i++) {
        __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
        unsigned long old = __atomic_load_n(&cas_counter, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(&cas_counter, &old, old + 3, 1, __ATOMIC_SEQ_CST,
                                            __ATOMIC_RELAXED))
            ;
        if (i % 8 == 0) {
            while (__atomic_exchange_n(&spin, 1, __ATOMIC_ACQUIRE))
                while (__atomic_load_n(&spin, __ATOMIC_RELAXED))
                    __builtin_ia32_pause();
            spin_counter += 2;
            __atomic_store_n(&spin, 0, __ATOMIC_RELEASE);
        }
    }
    uint64_t d = deep(2000, NULL);
    pthread_barrier_wait(&barrier);
    return (void *)(intptr_t)(my_id == id ? (int)(d % 100000) : -1);
}

int main(void)
{
    uprog_name = "threads";
    pthread_t t[WORKERS];
    pthread_barrier_init(&barrier, NULL, WORKERS);
    for (int i = 0; i < WORKERS; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            fail("pthread_create %d", i);
            return finish();
        }
    /* Hand out jobs in batches, so workers wait on the condition variable. */
    for (int q = 0; q < JOBS; q += 16) {
        pthread_mutex_lock(&lock);
        queued = q + 16 > JOBS ? JOBS : q + 16;
        pthread_cond_broadcast(&have_job);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    while (done_jobs < JOBS)
        pthread_cond_wait(&all_done, &lock);
    pthread_cond_broadcast(&have_job);
    pthread_mutex_unlock(&lock);

    uint64_t h = 0;
    int bad = 0;
    for (int i = 0; i < JOBS; i++) {
        bad += results[i] != job(i);
        h = (h ^ results[i]) * 0x100000001b3ull;
    }
    CHECK(bad == 0, "%d jobs with a wrong result or another thread's TLS", bad);
    say("%d jobs by %d workers, results %016llx", JOBS, WORKERS, (unsigned long long)h);

    int joined = 0;
    for (int i = 0; i < WORKERS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        int v = (int)(intptr_t)ret;
        CHECK(v >= 0, "worker %d saw its TLS change", i);
        joined += v;
    }
    say("join values sum %d", joined);
    CHECK(counter == (unsigned long)WORKERS * ADDS, "fetch-add counter %lu", counter);
    CHECK(cas_counter == 3ul * WORKERS * ADDS, "CAS counter %lu", cas_counter);
    CHECK(spin_counter == 2ul * WORKERS * (ADDS / 8), "spinlock counter %lu", spin_counter);
    say("counters %lu %lu %lu", counter, cas_counter, spin_counter);
    CHECK(my_id == -1, "main thread's TLS changed");
    return finish();
}
