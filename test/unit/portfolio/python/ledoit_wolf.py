import sys, json, numpy as np
from sklearn.covariance import LedoitWolf
d = json.load(sys.stdin)
out = []
for case in d:
    X = np.array(case, dtype=float)
    lw = LedoitWolf().fit(X)
    out.append({"cov": lw.covariance_.ravel().tolist(), "shrinkage": float(lw.shrinkage_)})
print(json.dumps(out))
