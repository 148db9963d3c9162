"""Independent QP answers for factorlab's QP engine tests: scipy.optimize.minimize (SLSQP, then
trust-constr when SLSQP fails) on min 1/2 x'Px + q'x s.t. l <= Ax <= u. JSON in (a list of
problems with dense P, q, A, l, u; None for infinite bounds), JSON out (x, objective, method)."""
import json
import sys

import numpy as np
from scipy.optimize import LinearConstraint, minimize

out = []
for prob in json.load(sys.stdin):
    P = np.array(prob["P"], dtype=float)
    q = np.array(prob["q"], dtype=float)
    A = np.array(prob["A"], dtype=float)
    l = np.array([-np.inf if v is None else v for v in prob["l"]])
    u = np.array([np.inf if v is None else v for v in prob["u"]])
    n = len(q)
    f = lambda x: 0.5 * x @ P @ x + q @ x
    g = lambda x: P @ x + q
    cons = []
    for i in range(A.shape[0]):
        a = A[i]
        if l[i] == u[i]:
            cons.append({"type": "eq", "fun": (lambda x, a=a, b=l[i]: a @ x - b), "jac": (lambda x, a=a: a)})
        else:
            if np.isfinite(l[i]):
                cons.append({"type": "ineq", "fun": (lambda x, a=a, b=l[i]: a @ x - b), "jac": (lambda x, a=a: a)})
            if np.isfinite(u[i]):
                cons.append({"type": "ineq", "fun": (lambda x, a=a, b=u[i]: b - a @ x), "jac": (lambda x, a=a: -a)})
    x0 = np.zeros(n)
    res = minimize(f, x0, jac=g, constraints=cons, method="SLSQP", options={"ftol": 1e-15, "maxiter": 2000})
    method = "SLSQP"
    if not res.success:
        res = minimize(f, x0, jac=g, hess=lambda x: P, constraints=[LinearConstraint(A, l, u)], method="trust-constr",
                       options={"gtol": 1e-12, "xtol": 1e-14, "maxiter": 20000})
        method = "trust-constr"
    out.append({"x": res.x.tolist(), "objective": float(f(res.x)), "method": method, "success": bool(res.success)})
print(json.dumps(out))
