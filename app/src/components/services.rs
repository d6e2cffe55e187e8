//! Supporting AWS services each option pays for besides compute: switch a line off or size it.
//! Quantities the import cannot know default to zero and say so.

use super::fields::{parse_decimal, NumberField, Toggle};
use crate::human::decimal;
use leptos::prelude::*;
use tco_engine::Scenario;

/// Toggles first, then the monthly quantities.
#[component]
pub fn SupportingServices(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    view! {
        <fieldset data-testid="supporting">
            <legend>"Supporting services"</legend>
            <div class="checks">
                <Toggle scenario=scenario label="Application Load Balancers" testid="svc-load-balancers"
                    hint="one per app with a web process"
                    get=|a| a.supporting.load_balancers set=|a, on| a.supporting.load_balancers = on />
                <Toggle scenario=scenario label="NAT gateways" testid="svc-nat-gateways" hint="one per zone"
                    get=|a| a.supporting.nat_gateways set=|a, on| a.supporting.nat_gateways = on />
                <Toggle scenario=scenario label="Public IPv4 addresses" testid="svc-public-ipv4" hint="of NAT gateways and load balancers"
                    get=|a| a.supporting.public_ipv4 set=|a, on| a.supporting.public_ipv4 = on />
                <Toggle scenario=scenario label="AWS Business Support" testid="svc-business-support" hint="tiered share of the bill"
                    get=|a| a.supporting.business_support set=|a, on| a.supporting.business_support = on />
                <Toggle scenario=scenario label="EKS extended support" testid="svc-eks-extended-support"
                    hint="clusters on older Kubernetes versions"
                    get=|a| a.supporting.eks_extended_support set=|a, on| a.supporting.eks_extended_support = on />
            </div>
            <NumberField scenario=scenario label="Load balancer capacity" testid="svc-alb-lcu" unit="LCU per ALB-hour"
                hint="Used when no request rate was imported; 1 LCU = 25 new connections/s or 1 GB/h. Default 1.".to_string()
                get=|a| decimal(a.supporting.alb_lcu_per_hour)
                set=|a, v| parse_decimal(v).map(|d| a.supporting.alb_lcu_per_hour = d).is_some() />
            <NumberField scenario=scenario label="Data through NAT gateways" testid="svc-nat-gb" unit="GB/month"
                get=|a| decimal(a.supporting.nat_gb_per_month)
                set=|a, v| parse_decimal(v).map(|d| a.supporting.nat_gb_per_month = d).is_some() />
            <NumberField scenario=scenario label="Root volume per node" testid="svc-root-volume" unit="GB gp3" step="1"
                hint="EKS managed node groups default to 20 GB.".to_string()
                get=|a| a.supporting.root_volume_gb.to_string()
                set=|a, v| v.trim().parse().ok().map(|n| a.supporting.root_volume_gb = n).is_some() />
            <NumberField scenario=scenario label="Cross-zone traffic" testid="svc-cross-az-gb" unit="GB/month"
                hint="Charged in each direction.".to_string()
                get=|a| decimal(a.supporting.cross_az_gb_per_month)
                set=|a, v| parse_decimal(v).map(|d| a.supporting.cross_az_gb_per_month = d).is_some() />
            <NumberField scenario=scenario label="Data out to the internet" testid="svc-egress-gb" unit="GB/month"
                hint="The first 100 GB are free.".to_string()
                get=|a| decimal(a.supporting.data_transfer_out_gb_per_month)
                set=|a, v| parse_decimal(v).map(|d| a.supporting.data_transfer_out_gb_per_month = d).is_some() />
            <NumberField scenario=scenario label="Logs to CloudWatch" testid="svc-log-gb" unit="GB/month"
                get=|a| decimal(a.supporting.log_gb_per_month)
                set=|a, v| parse_decimal(v).map(|d| a.supporting.log_gb_per_month = d).is_some() />
            <NumberField scenario=scenario label="Customer-managed KMS keys" testid="svc-kms-keys" unit="keys" step="1"
                get=|a| a.supporting.kms_keys.to_string()
                set=|a, v| v.trim().parse().ok().map(|n| a.supporting.kms_keys = n).is_some() />
            <NumberField scenario=scenario label="Secrets Manager secrets" testid="svc-secrets" unit="secrets" step="1"
                get=|a| a.supporting.secrets.to_string()
                set=|a, v| v.trim().parse().ok().map(|n| a.supporting.secrets = n).is_some() />
            <NumberField scenario=scenario label="Transit Gateway attachments" testid="svc-tgw-attachments" unit="attachments" step="1"
                hint="VPCs, VPNs to partner networks.".to_string()
                get=|a| a.supporting.transit_gateway_attachments.to_string()
                set=|a, v| v.trim().parse().ok().map(|n| a.supporting.transit_gateway_attachments = n).is_some() />
            <NumberField scenario=scenario label="Data through the Transit Gateway" testid="svc-tgw-gb" unit="GB/month"
                get=|a| decimal(a.supporting.transit_gateway_gb_per_month)
                set=|a, v| parse_decimal(v).map(|d| a.supporting.transit_gateway_gb_per_month = d).is_some() />
        </fieldset>
    }
}
