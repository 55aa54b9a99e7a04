#!/usr/bin/env python3
"""Host-CPU oracle for the SIMD guest tests.

    tests/guest/oracle/oracle.py [TEST...]     (default: every test with a spec)

A guest test tests/guest/TEST.asm may hold generated regions:

    ;@GEN NAME.spec
    ... checks ...
    ;@END

This script runs every case of tests/guest/oracle/NAME.spec on the host CPU
(an x86-64 with SSE4.2; each case is one instruction, executed in user mode
from a small C program built with gcc) and rewrites the region with guest
code that sets up the same inputs, executes the same instruction and checks
the host's results byte for byte: the destination, EAX/ECX/EDX, EFLAGS and
MXCSR. A case whose instruction raises an unmasked SIMD exception on the
host (SIGFPE) becomes a TRY/XCATCH for #XM plus checks that XMM0 (and EAX)
kept their values and of the MXCSR seen in the signal context.

The host is used as the reference the manuals describe: a case belongs in a
spec only when the SDM defines its result (no RCPPS approximations, no
undefined flags). NAME.qd lists the check names on which QEMU TCG departs
from the SDM; those checks are wrapped in QEMU_DEPARTS_BEGIN/END (sse.inc).

A spec is Python: C(op, a, b, c, mx=, out=, name=, eax=, ecx=, edx=) adds a
case (xmm0 = a, xmm1 = b, xmm2 = c, mm0/mm1 = low halves of a/b; out: x
xmm0, y xmm1, m mm0, a/c/d a register, f EFLAGS & flmask, s MXCSR) and
comment(text) a comment line. Helpers build operands: f/d (float/double
bits), ps/pd/dw/w/b/q (lanes, lowest first), s (a string).
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GUEST = os.path.dirname(HERE)
M64 = 2 ** 64 - 1


# ---------------------------------------------------------------- operands
def f(x):
    if isinstance(x, str):
        return int(x, 16)
    return struct.unpack('<I', struct.pack('<f', x))[0]


def d(x):
    if isinstance(x, str):
        return int(x, 16)
    return struct.unpack('<Q', struct.pack('<d', x))[0]


def lanes(width, values):
    r = 0
    for i, v in enumerate(values):
        r |= (v & ((1 << width) - 1)) << (width * i)
    return r


def ps(*v): return lanes(32, [f(x) for x in v])
def pd(*v): return lanes(64, [d(x) for x in v])
def dw(*v): return lanes(32, v)
def w(*v): return lanes(16, v)
def b(*v): return lanes(8, v)
def q(*v): return lanes(64, v)


def s(text):
    raw = text.encode() if isinstance(text, str) else text
    return int.from_bytes((raw + bytes(16))[:16], 'little')


# ---------------------------------------------------------------- cases
class Spec:
    def __init__(self):
        self.cases = []

    def C(self, op, a=0, bb=0, c=0, mx=0x1f80, out='x', name=None, eax=0, ecx=0,
          edx=0, flmask=0x8d5):
        self.cases.append(dict(op=op, a=a, b=bb, c=c, mx=mx, out=out, name=name or op,
                               eax=eax, ecx=ecx, edx=edx, flmask=flmask))

    def comment(self, text):
        self.cases.append(dict(comment=text))


def uses_mmx(case):
    return 'm' in case['out'] or re.search(r'\bmm\d', case['op']) is not None


def bytes_c(v):
    return ','.join('0x%02x' % ((v >> (8 * i)) & 0xff) for i in range(16))


C_HEAD = r'''#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
static sigjmp_buf jb;
static uint8_t fault_xmm0[16];
static uint32_t fault_mxcsr;
static void on_fpe(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig; (void)si;
    memcpy(fault_xmm0, &uc->uc_mcontext.fpregs->_xmm[0], 16);
    fault_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    siglongjmp(jb, 1);
}
static void hex(const uint8_t *p) { for (int i = 15; i >= 0; i--) printf("%02x", p[i]); }
int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fpe;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, 0);
'''

C_CASE = r'''    {
        static uint8_t A[16] = {%(A)s}, B[16] = {%(B)s}, Cc[16] = {%(C)s}, X0[16], X1[16];
        static uint64_t M0, FL;
        static uint32_t MXI = %(mx)d, MXO, OA, OC, OD;
        if (sigsetjmp(jb, 1)) {
            printf("%(i)d F "); hex(fault_xmm0); printf(" %%08x\n", fault_mxcsr);
        } else {
            __asm__ volatile("%(body)s"
                : [x0]"=m"(X0), [x1]"=m"(X1), [m0]"=m"(M0), [fl]"=m"(FL), [mxo]"=m"(MXO),
                  [oa]"=m"(OA), [oc]"=m"(OC), [od]"=m"(OD)
                : [a]"m"(A), [b]"m"(B), [c]"m"(Cc), [mxi]"m"(MXI)
                : "eax", "ecx", "edx", "xmm0", "xmm1", "xmm2", "memory", "cc");
            printf("%(i)d "); hex(X0); printf(" "); hex(X1);
            printf(" %%016llx %%08x %%08x %%08x %%08x %%08x\n", (unsigned long long)M0,
                   (unsigned)FL, MXO, OA, OC, OD);
        }
    }
'''


def host_results(cases):
    """Runs the cases on this CPU; returns {index: results}."""
    src = [C_HEAD]
    for i, cs in enumerate(cases):
        if 'comment' in cs:
            continue
        mm = uses_mmx(cs)
        body = ['ldmxcsr %[mxi]', 'movdqu xmm0, %[a]', 'movdqu xmm1, %[b]', 'movdqu xmm2, %[c]']
        if mm:
            body += ['movq mm0, QWORD PTR %[a]', 'movq mm1, QWORD PTR %[b]', 'movq mm2, QWORD PTR %[c]']
        body += ['mov %s, %d' % (r, cs[r] & 0xffffffff) for r in ('eax', 'ecx', 'edx')]
        body += [cs['op'], 'pushfq', 'pop QWORD PTR %[fl]', 'stmxcsr %[mxo]',
                 'movdqu %[x0], xmm0', 'movdqu %[x1], xmm1']
        if mm:
            body += ['movq QWORD PTR %[m0], mm0', 'emms']
        body += ['mov %[oa], eax', 'mov %[oc], ecx', 'mov %[od], edx']
        src.append(C_CASE % dict(A=bytes_c(cs['a']), B=bytes_c(cs['b']), C=bytes_c(cs['c']),
                                 mx=cs['mx'], i=i, body='\\n'.join(body) + '\\n'))
    src.append('    return 0;\n}\n')
    with tempfile.TemporaryDirectory() as tmp:
        c_file = os.path.join(tmp, 'oracle.c')
        exe = os.path.join(tmp, 'oracle')
        with open(c_file, 'w') as fh:
            fh.write(''.join(src))
        subprocess.check_call(['gcc', '-O0', '-masm=intel', '-msse4.2', '-o', exe, c_file])
        lines = subprocess.check_output([exe]).decode().split('\n')
    res = {}
    for line in lines:
        p = line.split()
        if not p:
            continue
        if p[1] == 'F':
            res[int(p[0])] = dict(fault=True, x0=int(p[2], 16), mx=int(p[3], 16))
        else:
            res[int(p[0])] = dict(x0=int(p[1], 16), x1=int(p[2], 16), m0=int(p[3], 16),
                                  fl=int(p[4], 16), mx=int(p[5], 16), eax=int(p[6], 16),
                                  ecx=int(p[7], 16), edx=int(p[8], 16))
    return res


# ---------------------------------------------------------------- guest code
def lohi(v):
    return '0x%016x, 0x%016x' % (v & M64, v >> 64)


def guest_code(cases, res, departs):
    out = []

    def wrap(lines, check):
        if check in departs:
            return ['    QEMU_DEPARTS_BEGIN'] + lines + ['    QEMU_DEPARTS_END']
        return lines

    for i, cs in enumerate(cases):
        if 'comment' in cs:
            out.append('    ; ' + cs['comment'])
            continue
        r = res[i]
        mm = uses_mmx(cs)
        nm = cs['name'].replace('"', "'")
        if not mm or 'x' in cs['out'] or 's' in cs['out']:
            out.append('    SET_MXCSR 0x%x' % cs['mx'])
        if mm:
            out.append('    LDMM mm0, 0x%016x' % (cs['a'] & M64))
            out.append('    LDMM mm1, 0x%016x' % (cs['b'] & M64))
        if not mm or 'x' in cs['out'] or 'xmm' in cs['op']:
            out.append('    LDX xmm0, ' + lohi(cs['a']))
            out.append('    LDX xmm1, ' + lohi(cs['b']))
            if cs['c'] or 'xmm2' in cs['op']:
                out.append('    LDX xmm2, ' + lohi(cs['c']))
        # PCMPESTRI/M read EAX and EDX without naming them: set them even
        # when 0 (a stale register would otherwise be the length).
        implicit = ('eax', 'edx') if 'pcmpestr' in cs['op'] else ()
        for rg in ('eax', 'ecx', 'edx'):
            if cs[rg] or rg in cs['op'] or rg[1] in cs['out'] or rg in implicit:
                out.append('    mov %s, 0x%x' % (rg, cs[rg] & 0xffffffff))
        if r.get('fault'):
            out += wrap(['    TRY', '    ' + cs['op'], '    XCATCH 19, -1, "%s: #XM"' % nm], nm + ': #XM')
            out += wrap(['    EXPECT_X xmm0, %s, "%s: xmm0 not written"' % (lohi(r['x0']), nm)],
                        nm + ': xmm0 not written')
            out += wrap(['    EXPECT_MXCSR 0x%x, "%s: mxcsr"' % (r['mx'], nm)], nm + ': mxcsr')
            if 'a' in cs['out']:
                out += wrap(['    EXPECT_R eax, 0x%x, "%s: eax not written"' % (cs['eax'] & 0xffffffff, nm)],
                            nm + ': eax not written')
            continue
        out.append('    ' + cs['op'])
        if 'f' in cs['out']:
            out.append('    SAVE_FLAGS')
        for o in cs['out']:
            check, line = {
                'x': (nm, 'EXPECT_X xmm0, %s' % lohi(r['x0'])),
                'y': (nm + ': xmm1', 'EXPECT_X xmm1, %s' % lohi(r['x1'])),
                'm': (nm, 'EXPECT_MM mm0, 0x%016x' % r['m0']),
                'a': (nm + ': eax', 'EXPECT_R eax, 0x%08x' % r['eax']),
                'c': (nm + ': ecx', 'EXPECT_R ecx, 0x%08x' % r['ecx']),
                'd': (nm + ': edx', 'EXPECT_R edx, 0x%08x' % r['edx']),
                'f': (nm + ': flags', 'EXPECT_FLAGS 0x%x, 0x%03x' % (cs['flmask'], r['fl'] & cs['flmask'])),
                's': (nm + ': mxcsr', 'EXPECT_MXCSR 0x%x' % r['mx']),
            }[o]
            out += wrap(['    %s, "%s"' % (line, check)], check)
    return '\n'.join(out) + '\n'


def generate(spec_name):
    spec = Spec()
    env = dict(C=spec.C, comment=spec.comment, f=f, d=d, ps=ps, pd=pd, dw=dw, w=w, b=b, q=q, s=s)
    with open(os.path.join(HERE, spec_name)) as fh:
        exec(fh.read(), env)
    departs = set()
    qd = os.path.join(HERE, spec_name[:-len('.spec')] + '.qd')
    if os.path.exists(qd):
        with open(qd) as fh:
            departs = {line.rstrip('\n') for line in fh if line.strip()}
    return guest_code(spec.cases, host_results(spec.cases), departs)


REGION = re.compile(r'^(\s*;@GEN (\S+)\n)(.*?)^(\s*;@END\n)', re.M | re.S)


def main(argv):
    tests = argv or sorted(n[:-4] for n in os.listdir(GUEST) if n.endswith('.asm'))
    for t in tests:
        path = os.path.join(GUEST, t + '.asm')
        with open(path) as fh:
            text = fh.read()
        if not REGION.search(text):
            continue
        new = REGION.sub(lambda m: m.group(1) + generate(m.group(2)) + m.group(4), text)
        if new != text:
            with open(path, 'w') as fh:
                fh.write(new)
            print('oracle: rewrote', path)
        else:
            print('oracle: unchanged', path)


if __name__ == '__main__':
    main(sys.argv[1:])
