"""A strict, offline check of Kubernetes objects against the API's schema.

The schema comes from Debian 12's python3-kubernetes (22.6: the Kubernetes 1.22 API), whose model classes were
generated from the API's OpenAPI document: each has `openapi_types` (attribute -> type) and `attribute_map`
(attribute -> JSON field), and a setter that refuses None for each required field. Walking a document against them
finds what the API server would refuse or, worse, silently drop:
  - a field the object does not have (a typo, a field of a newer Kubernetes, a field at the wrong level);
  - a value of the wrong type (a string where an integer goes, a map where a list goes);
  - a required field left out.
On top of the generated schema, which for 1.22 carries no enumerations or formats: the values of the enumerations the
manifests use, resource quantities, and object names and labels.

autoscaling/v2 (GA since 1.23, the only HorizontalPodAutoscaler version from 1.26 on) is not in the 1.22 client; it
is checked against autoscaling/v2beta2, which has the same fields.
"""

import difflib
import inspect
import re

import kubernetes.client as k8s

# (apiVersion, kind) -> (model class name, namespaced). An object of another kind is an error, not a pass: add it here.
KINDS = {
    ("v1", "Namespace"): ("V1Namespace", False),
    ("v1", "ConfigMap"): ("V1ConfigMap", True),
    ("v1", "Secret"): ("V1Secret", True),
    ("v1", "Service"): ("V1Service", True),
    ("v1", "PersistentVolumeClaim"): ("V1PersistentVolumeClaim", True),
    ("v1", "ServiceAccount"): ("V1ServiceAccount", True),
    ("apps/v1", "StatefulSet"): ("V1StatefulSet", True),
    ("apps/v1", "Deployment"): ("V1Deployment", True),
    ("policy/v1", "PodDisruptionBudget"): ("V1PodDisruptionBudget", True),
    ("autoscaling/v2", "HorizontalPodAutoscaler"): ("V2beta2HorizontalPodAutoscaler", True),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): ("V2beta2HorizontalPodAutoscaler", True),
}

# The enumerations of the fields these manifests use (the API's documented values; 1.22's schema does not list them).
ENUMS = {
    ("V1ServiceSpec", "type"): {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"},
    ("V1ServiceSpec", "external_traffic_policy"): {"Cluster", "Local"},
    ("V1ServiceSpec", "internal_traffic_policy"): {"Cluster", "Local"},
    ("V1ServiceSpec", "session_affinity"): {"None", "ClientIP"},
    ("V1ServicePort", "protocol"): {"TCP", "UDP", "SCTP"},
    ("V1ContainerPort", "protocol"): {"TCP", "UDP", "SCTP"},
    ("V1Container", "image_pull_policy"): {"Always", "IfNotPresent", "Never"},
    ("V1Container", "termination_message_policy"): {"File", "FallbackToLogsOnError"},
    ("V1PodSpec", "restart_policy"): {"Always", "OnFailure", "Never"},
    ("V1PodSpec", "dns_policy"): {"ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"},
    ("V1PodSecurityContext", "fs_group_change_policy"): {"OnRootMismatch", "Always"},
    ("V1SeccompProfile", "type"): {"RuntimeDefault", "Unconfined", "Localhost"},
    ("V1DeploymentStrategy", "type"): {"Recreate", "RollingUpdate"},
    ("V1StatefulSetUpdateStrategy", "type"): {"RollingUpdate", "OnDelete"},
    ("V1StatefulSetSpec", "pod_management_policy"): {"OrderedReady", "Parallel"},
    ("V1PersistentVolumeClaimSpec", "access_modes"): {"ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany",
                                                      "ReadWriteOncePod"},
    ("V1PersistentVolumeClaimSpec", "volume_mode"): {"Filesystem", "Block"},
    ("V1HTTPGetAction", "scheme"): {"HTTP", "HTTPS"},
    ("V2beta2MetricSpec", "type"): {"Object", "Pods", "Resource", "ContainerResource", "External"},
    ("V2beta2MetricTarget", "type"): {"Utilization", "Value", "AverageValue"},
}

# Fields holding a resource quantity (1.22's client types them as plain strings).
QUANTITY_MAPS = {("V1ResourceRequirements", "limits"), ("V1ResourceRequirements", "requests")}
QUANTITIES = {("V1EmptyDirVolumeSource", "size_limit"), ("V2beta2MetricTarget", "average_value"),
              ("V2beta2MetricTarget", "value")}
QUANTITY = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$")
# A string or a number: IntOrString fields are typed 'object' by the client.
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
LABEL_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
# Objects whose name is a DNS label (63 characters at most, no dots), not only a subdomain.
LABEL_NAMED = {"Namespace", "Service"}

_required_cache = {}


def required_fields(cls):
    """The attributes whose setter refuses None: the schema's required fields."""
    if cls not in _required_cache:
        required = set()
        for attr in cls.openapi_types:
            setter = getattr(cls, attr).fset
            if "must not be `None`" in inspect.getsource(setter):
                required.add(attr)
        _required_cache[cls] = required
    return _required_cache[cls]


class Validator:
    def __init__(self):
        self.errors = []

    def error(self, path, message):
        self.errors.append(f"{path}: {message}")

    def check_type(self, value, type_name, path, owner=None, partial=False):
        if value is None:
            # null is what "absent" means in YAML for optional fields; required ones are caught by the model's check.
            return
        if type_name.startswith("list["):
            if not isinstance(value, list):
                self.error(path, f"expected a list ({type_name}), got {type(value).__name__}")
                return
            inner = type_name[5:-1]
            for i, item in enumerate(value):
                self.check_type(item, inner, f"{path}[{i}]", owner, partial)
            return
        if type_name.startswith("dict("):
            if not isinstance(value, dict):
                self.error(path, f"expected a map ({type_name}), got {type(value).__name__}")
                return
            inner = type_name[type_name.index(",") + 1:-1].strip()
            for key, item in value.items():
                if not isinstance(key, str):
                    self.error(path, f"map key {key!r} is not a string")
                self.check_type(item, inner, f"{path}.{key}", owner, partial)
            return
        if type_name == "str":
            if not isinstance(value, str):
                self.error(path, f"expected a string, got {type(value).__name__} {value!r}")
            return
        if type_name == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(path, f"expected an integer, got {type(value).__name__} {value!r}")
            return
        if type_name == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.error(path, f"expected a number, got {type(value).__name__} {value!r}")
            return
        if type_name == "bool":
            if not isinstance(value, bool):
                self.error(path, f"expected true or false, got {type(value).__name__} {value!r}")
            return
        if type_name in ("datetime", "date"):
            if not isinstance(value, str):
                self.error(path, f"expected a time string, got {type(value).__name__}")
            return
        if type_name == "object":
            # IntOrString (ports, maxSurge) in the fields these manifests use, or free-form JSON.
            if isinstance(value, bool):
                self.error(path, f"expected a string or an integer, got {value!r}")
            return
        cls = getattr(k8s, type_name, None)
        if cls is None:
            self.error(path, f"the schema has no type {type_name}")
            return
        self.check_model(value, cls, path, partial)

    def check_model(self, value, cls, path, partial=False):
        if not isinstance(value, dict):
            self.error(path, f"expected an object ({cls.__name__}), got {type(value).__name__} {value!r}")
            return
        by_field = {field: attr for attr, field in cls.attribute_map.items()}
        for field, item in value.items():
            if partial and field.startswith("$"):
                continue  # strategic merge patch directives
            attr = by_field.get(field)
            if attr is None:
                near = difflib.get_close_matches(field, list(by_field), n=1)
                hint = f"; did you mean {near[0]}?" if near else ""
                self.error(f"{path}.{field}", f"unknown field (not in {cls.__name__}{hint})")
                continue
            type_name = cls.openapi_types[attr]
            self.check_type(item, type_name, f"{path}.{field}", cls, partial)
            self.check_value(cls.__name__, attr, item, f"{path}.{field}")
        if not partial:
            for attr in sorted(required_fields(cls)):
                if value.get(cls.attribute_map[attr]) is None:
                    self.error(path, f"required field '{cls.attribute_map[attr]}' is missing ({cls.__name__})")

    def check_value(self, owner, attr, value, path):
        allowed = ENUMS.get((owner, attr))
        if allowed is not None and value is not None:
            for item in (value if isinstance(value, list) else [value]):
                if item not in allowed:
                    self.error(path, f"{item!r} is not one of {', '.join(sorted(allowed))}")
        if (owner, attr) in QUANTITY_MAPS and isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(item, str) or not QUANTITY.match(item):
                    self.error(f"{path}.{key}", f"{item!r} is not a quantity (write it as a string: \"500m\", \"1Gi\")")
        if (owner, attr) in QUANTITIES and value is not None:
            if not isinstance(value, str) or not QUANTITY.match(value):
                self.error(path, f"{value!r} is not a quantity")
        if owner == "V1ObjectMeta" and attr in ("labels", "annotations") and isinstance(value, dict):
            for key, item in value.items():
                name = key.split("/", 1)[-1]
                prefix = key.split("/", 1)[0] if "/" in key else None
                if not LABEL_NAME.match(name) or len(name) > 63 or (prefix and not DNS_SUBDOMAIN.match(prefix)):
                    self.error(f"{path}.{key}", "not a valid label or annotation key")
                if attr == "labels" and (not isinstance(item, str) or len(item) > 63 or not LABEL_VALUE.match(item)):
                    self.error(f"{path}.{key}", f"{item!r} is not a valid label value")


def validate(doc, where="", partial=False):
    """The errors of one document (a whole object, or with partial=True a strategic merge patch), as strings."""
    v = Validator()
    if not isinstance(doc, dict) or not doc:
        return [f"{where}: not an object (an empty document?): {doc!r}"]
    api_version, kind = doc.get("apiVersion"), doc.get("kind")
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    name = meta.get("name")
    path = f"{where}{kind}/{name}"
    known = KINDS.get((api_version, kind))
    if known is None:
        return [f"{path}: apiVersion {api_version!r} kind {kind!r} is not a kind this validator knows"]
    cls = getattr(k8s, known[0])
    v.check_model(doc, cls, path, partial)
    if not name:
        v.error(path, "metadata.name is missing")
    elif isinstance(name, str):
        pattern = DNS_LABEL if kind in LABEL_NAMED else DNS_SUBDOMAIN
        if len(name) > (63 if kind in LABEL_NAMED else 253) or not pattern.match(name):
            v.error(path, f"metadata.name {name!r} is not a valid {kind} name")
    return v.errors


def namespaced(doc):
    known = KINDS.get((doc.get("apiVersion"), doc.get("kind")))
    return bool(known and known[1])
