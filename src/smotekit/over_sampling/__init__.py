"""imbalanced-learn-compatible oversamplers built on the shared kernel and neighbour layer."""

from smotekit.over_sampling._adasyn import ADASYN
from smotekit.over_sampling._borderline import BorderlineSMOTE
from smotekit.over_sampling._kmeans import KMeansSMOTE
from smotekit.over_sampling._polynom_fit import PolynomFitSMOTE
from smotekit.over_sampling._prowsyn import ProWSyn
from smotekit.over_sampling._smote import SMOTE
from smotekit.over_sampling._smoten import SMOTEN
from smotekit.over_sampling._smotenc import SMOTENC
from smotekit.over_sampling._svm import SVMSMOTE

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "BorderlineSMOTE",
    "KMeansSMOTE",
    "PolynomFitSMOTE",
    "ProWSyn",
]
