// Out-of-line destructors of the HTTP API's source interfaces (one vtable per interface), and the registry adapter.
#include "HttpSources.h"

#include "common/Metrics.h"

namespace clinicflow::server {

ReadModel::~ReadModel() = default;
HealthSource::~HealthSource() = default;
MetricsSource::~MetricsSource() = default;

RegistryMetricsSource::RegistryMetricsSource(const common::Metrics &metrics)
    : m_metrics(metrics)
{
}

QByteArray RegistryMetricsSource::prometheusText()
{
    return m_metrics.prometheusText();
}

} // namespace clinicflow::server
